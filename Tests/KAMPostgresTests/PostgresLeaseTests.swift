import Foundation
import Synchronization
import KAMTesting
import Testing

@testable import KAMPostgres

/// The two synchronous ways into the pool (`transaction`, which lends the caller a connection, and
/// `onLoop`, which runs its body on the connection's event loop) share one bounded wait for the lease:
/// with every connection held, a caller gets `postgres.pool-exhausted` after the connect timeout, and the lease it
/// gave up on never keeps a connection from the pool afterwards.
@Suite("PostgreSQL leases")
struct PostgresLeaseTests {
    /// A store with one connection and a short wait for it.
    private func openOneConnection() async throws -> PostgresStore {
        var configuration = try PostgresTestServer.configuration(schema: PostgresTestServer.freshSchema(), poolSize: 1)
        configuration.connectTimeout = .milliseconds(300)
        do {
            return try await PostgresStore.open(configuration)
        } catch let error as PostgresStoreError where error.code == .unreachable {
            try PostgresTestServer.skip(error.message)
        }
    }

    /// Holds the store's only connection in a transaction on a thread of its own (never one of the few cooperative
    /// threads the other tests need) until the test lets go. On a loaded machine the pool's first connection can take
    /// longer than the 300 ms lease wait, so the hold asks again while the pool is still connecting (at most 30 s).
    private func holdTheConnection(_ store: PostgresStore) async throws -> HeldOnThread {
        let hold = HeldOnThread { whileHeld in
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                do {
                    return try store.transaction(readOnly: false) { session in
                        try session.query("SELECT 1", doing: "holding")
                        whileHeld()
                    }
                } catch let error as PostgresStoreError where error.code == .poolExhausted && ContinuousClock.now < deadline {
                    continue
                }
            }
        }
        try await hold.untilHeld()
        return hold
    }

    /// The code of the `PostgresStoreError` that `body` throws; nil when it succeeds or throws something else.
    private static func code(_ body: () throws -> Void) -> PostgresStoreError.Code? {
        do {
            try body()
            return nil
        } catch {
            return (error as? PostgresStoreError)?.code
        }
    }

    @Test("a caller waiting for a held connection is refused after the connect timeout, on both paths, and the pool recovers")
    func exhausted() async throws {
        let store = try await openOneConnection()
        let hold = try await holdTheConnection(store)
        let refusals = await Task<[PostgresStoreError.Code?], Never>.detached {
            [
                Self.code { _ = try store.transaction(readOnly: true) { try $0.query("SELECT 1", doing: "lent") } },
                Self.code {
                    try store.onLoop(doing: "on the loop") { connection, logger in
                        _ = try await connection.query("SELECT 1", logger: logger)
                    }
                },
            ]
        }.value
        #expect(refusals == [PostgresStoreError.Code.poolExhausted, .poolExhausted])
        hold.letGo()
        // The two abandoned leases must not hold the one connection: both paths work again, several times.
        let answers = try await Task.detached { () -> [Int] in
            try (0..<3).flatMap { _ in
                [
                    try store.transaction(readOnly: true) { session in
                        try session.query("SELECT 7", doing: "after").rows.first!.decode(Int.self)
                    },
                    try store.onLoop(doing: "after") { connection, logger in
                        var value = 0
                        for try await answer in try await connection.query("SELECT 8", logger: logger).decode(Int.self) {
                            value = answer
                        }
                        return value
                    },
                ]
            }
        }.value
        #expect(answers == [7, 8, 7, 8, 7, 8])
        try await PostgresTestServer.drop(store)
    }
}
