import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The data version a cache keys its values by (`StoreVersion`), on SQLite (`ClientStore.dataVersion()`) and
/// PostgreSQL (`PostgresStore.dataVersion()`), each store written through a second handle as another process would:
/// reads leave it as it is; a commit changes it to a later one; and a version read while another process's write is
/// open, before its commit, is never the version after that commit (else a value read then, without the write, would
/// be given back as current).
@Suite("Data version conformance")
struct DataVersionConformanceTests {
    /// One store seen by two handles: `version` reads it on the first, `write` commits a new row through the second,
    /// `holdWrite` writes one and keeps its transaction open (not committed) until the test lets go.
    struct Handles: Sendable {
        let version: @Sendable () throws -> StoreVersion
        /// Reads, and says whether the read left the version as it was. SQLite: the version before and after two reads
        /// compared. PostgreSQL: whether the read's transaction took no transaction id, which is what a snapshot is
        /// made of (the server's other databases and the other tests commit all the time, so comparing two versions
        /// of a shared server would say nothing about the read).
        let readLeavesVersion: @Sendable () throws -> Bool
        let write: @Sendable (String) throws -> Void
        let holdWrite: @Sendable (String) -> HeldOnThread
        let tearDown: @Sendable () async -> Void
    }

    enum Kind: String, CaseIterable, Sendable {
        case sqlite, postgres
    }

    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    static func client(_ id: String) -> Client { Client(id: id, name: "Client \(id)", createdAt: t0) }

    static func handles(_ kind: Kind) async throws -> Handles {
        switch kind {
        case .sqlite:
            let file = TemporaryFile()
            let (watched, other) = (try ClientStore.open(path: file.path), try ClientStore.open(path: file.path))
            return Handles(
                version: { try #require(try watched.dataVersion()) },
                readLeavesVersion: {
                    let before = try watched.dataVersion()
                    _ = try watched.listClients()
                    _ = try watched.listClients()
                    return try watched.dataVersion() == before
                },
                write: { try other.addClient(Self.client($0)) },
                holdWrite: { id in
                    HeldOnThread(limit: Self.holdLimit) { whileHeld in
                        try other.writer.write { db in
                            _ = try ClientRecords.upsertClient(db, Self.client(id), at: Self.t0)
                            whileHeld()
                        }
                    }
                },
                tearDown: { _ = file })
        case .postgres:
            let (stores, tearDown) = try await PostgresTestServer.openHandles(2)
            let (watched, other) = (stores[0], stores[1])
            // A table of the test's own: the version is the database's, whatever the table.
            try await watched.execute("CREATE TABLE probe (id TEXT PRIMARY KEY)")
            @Sendable func insert(_ session: PostgresSession, _ id: String) throws {
                try session.query("INSERT INTO probe (id) VALUES (\(id))", doing: "adding a row")
            }
            return Handles(
                version: { try watched.dataVersion() },
                readLeavesVersion: {
                    try watched.transaction(readOnly: true) { session in
                        try session.query("SELECT count(*) FROM probe", doing: "reading")
                        let id = try session.query("SELECT pg_current_xact_id_if_assigned()::text", doing: "reading")
                        return try id.rows.first?.decode(String?.self) == nil
                    }
                },
                write: { id in try other.transaction(readOnly: false) { try insert($0, id) } },
                holdWrite: { id in
                    HeldOnThread(limit: Self.holdLimit) { whileHeld in
                        try other.transaction(readOnly: false) { session in
                            try insert(session, id)
                            whileHeld()
                        }
                    }
                },
                tearDown: tearDown)
        }
    }

    @Test("reads keep the version; a commit through another handle moves it to a later one", arguments: Kind.allCases)
    func commitsMoveIt(_ kind: Kind) async throws {
        let handles = try await Self.handles(kind)
        #expect(try handles.readLeavesVersion())
        let first = try handles.version()
        try handles.write("acme")
        let second = try handles.version()
        #expect(second != first)
        #expect(first.isOlder(than: second))
        #expect(!second.isOlder(than: first))
        try handles.write("globex")
        let third = try handles.version()
        #expect(third != second && second.isOlder(than: third) && first.isOlder(than: third))
        await handles.tearDown()
    }

    /// How long a held write may stay open before it commits by itself: far longer than the test takes on a loaded
    /// machine (a hold that commits before the test reads "during" would make during and after one version).
    static let holdLimit: Duration = .seconds(900)

    @Test("a version read while another handle's write is open is never the version after it commits", arguments: Kind.allCases)
    func anOpenWriteIsNotTheCommittedOne(_ kind: Kind) async throws {
        let handles = try await Self.handles(kind)
        let before = try handles.version()
        let hold = handles.holdWrite("initech")
        try await hold.untilHeld()
        let during = try handles.version()
        hold.letGo()
        let after = try handles.version()
        #expect(after != during)
        #expect(after != before)
        #expect(!after.isOlder(than: during))
        await handles.tearDown()
    }
}
