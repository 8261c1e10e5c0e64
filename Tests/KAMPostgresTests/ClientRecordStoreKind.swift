import Foundation
import GRDB
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The stores the client records' conformance suite runs against: SQLite and PostgreSQL. Each test makes a fresh
/// world of one kind with several handles on the same data, as several processes would open it: files of one path
/// for SQLite, `PostgresStore`s on one schema for PostgreSQL; every handle's clock stands at `t0`.
enum ClientRecordStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Runs `body` in a fresh world of `handles` handles with the users `u1`, `u2` and the clients `acme` (owned by
    /// `u1`, a qualified lead) and `globex` (owned by `u2`, won), torn down whatever happens.
    func withWorld(handles: Int = 2, _ body: (ClientRecordWorld) async throws -> Void) async throws {
        let world = try await open(handles: handles)
        try await withTearDown(world, world.tearDown) { world in
            let records = world.records
            for user in ["u1", "u2"] {
                #expect(try records.upsertUser(User(id: user, name: user, email: "\(user)@kam.example")) == .created)
            }
            try records.addClient(
                Client(id: "acme", name: "Acme", ownerID: "u1", leadStatus: .qualified, createdAt: ClientRecordWorld.t0))
            try records.addClient(Client(id: "globex", name: "Globex", ownerID: "u2", createdAt: ClientRecordWorld.t0))
            try await body(world)
        }
    }

    private func open(handles: Int) async throws -> ClientRecordWorld {
        let now: @Sendable () -> Date = { ClientRecordWorld.t0 }
        switch self {
        case .sqlite:
            let file = TemporaryFile("kam-records.sqlite")
            let stores = try (0..<handles).map { _ in try ClientStore.open(path: file.path, now: now) }
            return ClientRecordWorld(
                handles: stores, memory: stores[0], events: EventRepository(store: stores[0]),
                strings: { sql in try stores[0].writer.read { db in try String.fetchAll(db, sql: sql) } },
                tearDown: { file.remove() })
        case .postgres:
            let (opened, tearDown) = try await PostgresTestServer.openHandles(handles)
            return ClientRecordWorld(
                handles: opened.map { PostgresClientRecordStore(store: $0, now: now) },
                memory: PostgresClientMemory(store: opened[0]), events: PostgresEventStore(store: opened[0]),
                strings: { sql in try await opened[0].strings(sql) }, tearDown: tearDown)
        }
    }
}

/// Handles on one store's client records (one a process), and what the suite reads besides them.
struct ClientRecordWorld: Sendable {
    let handles: [any ClientRecordStoring]
    /// A client's snapshot (its contacts, deals, tasks and memory as a context reads them).
    let memory: any ClientMemoryReading
    let events: any EventStoring
    /// The first column of every row of a query both databases run, as text (`CAST(… AS TEXT)`).
    let strings: @Sendable (String) async throws -> [String]
    let tearDown: @Sendable () async -> Void

    var records: any ClientRecordStoring { handles[0] }

    /// The handles' clock.
    static let t0 = EventWorld.t0

    /// The domain events after `cursor`, oldest first, as `kind subject payload`.
    func events(after cursor: Int64, kinds: [String]? = nil) throws -> [String] {
        try events.events(after: cursor, kinds: kinds, clientID: nil, limit: 10_000).map {
            "\($0.kind) \($0.subjectID ?? "-") \($0.payload)"
        }
    }

    /// The client with `id` as its snapshot reads it.
    func client(_ id: String) throws -> Client? {
        try memory.snapshot(clientID: id, activitiesSince: .distantPast)?.client
    }

    /// How many rows of `table` match `condition`.
    func count(_ table: String, _ condition: String = "TRUE") async throws -> Int {
        Int(try await strings("SELECT CAST(COUNT(*) AS TEXT) FROM \(table) WHERE \(condition)").first ?? "") ?? -1
    }
}
