import Foundation
import GRDB
import KAMCore
import KAMStore
import KAMTesting
import Synchronization
import Testing

@testable import KAMPostgres

/// The stores the access and prompt-version conformance suites run against: SQLite and PostgreSQL, each opened by
/// several handles over one database (two `ClientStore.open(path:)` on one file, two `PostgresStore`s on one
/// schema), as several processes would open it.
enum AccessStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Runs `body` in a fresh, empty world of `handles` handles, torn down whatever happens.
    func withWorld(handles: Int = 2, _ body: (AccessWorld) async throws -> Void) async throws {
        let world = try await open(handles: handles)
        try await withTearDown(world, world.tearDown, body)
    }

    private func open(handles: Int) async throws -> AccessWorld {
        let clock = ManualWallClock(AccessWorld.start)
        let now: @Sendable () -> Date = { clock.now }
        switch self {
        case .sqlite:
            let file = TemporaryFile("kam-access.sqlite")
            let stores = try (0..<handles).map { _ in try ClientStore.open(path: file.path, now: now) }
            return AccessWorld(
                clock: clock,
                handles: stores.map { store in
                    AccessHandle(
                        users: UserRepository(store: store), keys: APIKeyRepository(store: store),
                        sessions: WebSessionRepository(store: store),
                        versions: SQLitePromptVersionLedger(writer: store.writer, now: now),
                        allVersions: { try SQLitePromptVersionLedger(writer: store.writer).all() },
                        moves: PromptLabelMoveRepository(writer: store.writer))
                },
                execute: { sql in try stores[0].writer.write { try $0.execute(sql: sql) } },
                strings: { sql in try stores[0].writer.read { try String.fetchAll($0, sql: sql) } }
            ) { file.remove() }
        case .postgres:
            let (opened, tearDown) = try await PostgresTestServer.openHandles(handles)
            return AccessWorld(
                clock: clock,
                handles: opened.map { store in
                    AccessHandle(
                        users: PostgresUserStore(store: store, now: now), keys: PostgresAPIKeyStore(store: store, now: now),
                        sessions: PostgresWebSessionStore(store: store, now: now),
                        versions: PostgresPromptVersionLedger(store: store, now: now),
                        allVersions: { try PostgresPromptVersionLedger(store: store).all() },
                        moves: PostgresPromptLabelMoveStore(store: store))
                },
                execute: { sql in try await opened[0].execute(sql) },
                strings: { sql in try await opened[0].strings(sql) }, tearDown: tearDown)
        }
    }
}

/// One handle's stores: what one process would hold.
struct AccessHandle: Sendable {
    let users: any UserStoring
    let keys: any APIKeyStoring
    let sessions: any WebSessionStoring
    let versions: any PromptVersionLedger
    let allVersions: @Sendable () throws -> [(promptID: String, version: String, contentHash: String, firstUsedAt: Date)]
    let moves: any PromptLabelMoveStoring
}

/// Handles over one database, its clock (every handle's `now`), and plain SQL on it for what no store method does
/// (seeding clients, reading the event log).
struct AccessWorld: Sendable {
    let clock: ManualWallClock
    let handles: [AccessHandle]
    let execute: @Sendable (String) async throws -> Void
    let strings: @Sendable (String) async throws -> [String]
    let tearDown: @Sendable () async -> Void

    init(
        clock: ManualWallClock, handles: [AccessHandle], execute: @escaping @Sendable (String) async throws -> Void,
        strings: @escaping @Sendable (String) async throws -> [String], tearDown: @escaping @Sendable () async -> Void
    ) {
        self.clock = clock
        self.handles = handles
        self.execute = execute
        self.strings = strings
        self.tearDown = tearDown
    }

    /// The first handle.
    var first: AccessHandle { handles[0] }

    /// A fixed instant the world's clock starts at.
    static let start = Date(timeIntervalSince1970: 1_795_003_200)

    /// The kinds of the events logged so far, oldest first.
    func eventKinds() async throws -> [String] {
        try await strings("SELECT kind FROM events ORDER BY id")
    }

    /// The subjects of the events of `kind`, oldest first.
    func eventSubjects(_ kind: EventKind) async throws -> [String] {
        try await strings("SELECT subject_id FROM events WHERE kind = '\(kind.rawValue)' ORDER BY id")
    }

    /// Runs `first` and `second` at once, each on a thread of its own (as two processes would), started together,
    /// and returns their results in order.
    static func race<T: Sendable>(_ first: @escaping @Sendable () -> T, _ second: @escaping @Sendable () -> T) async
        -> [T]
    {
        let bodies = [first, second]
        let gate = StartGate(count: bodies.count)
        return await withTaskGroup(of: (Int, T).self) { group in
            for (index, body) in bodies.enumerated() {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        Thread.detachNewThread {
                            gate.arriveAndWait()
                            continuation.resume(returning: (index, body()))
                        }
                    }
                }
            }
            var results: [(Int, T)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}

/// Lets racing threads start together: each arrives, then waits until all have.
final class StartGate: Sendable {
    private let arrived = Atomic<Int>(0)
    private let count: Int

    init(count: Int) {
        self.count = count
    }

    func arriveAndWait() {
        arrived.add(1, ordering: .sequentiallyConsistent)
        while arrived.load(ordering: .sequentiallyConsistent) < count { sched_yield() }
    }
}
