import Foundation
import GRDB
import KAMCore
import KAMStore
import KAMTesting

@testable import KAMPostgres

/// A fresh SQLite store and a fresh PostgreSQL schema (with `handles` stores on it, as processes would open it), both
/// clocks at `t0`, for `ImportConformanceTests`: the same import run into each, and what each then holds.
struct ImportPair: Sendable {
    static let t0 = Date(timeIntervalSince1970: 1_767_225_600)
    /// The tables an import writes, and the events.
    static let tables = [
        "users", "clients", "contacts", "activities", "deals", "deal_stage_history", "tasks", "orders", "client_memory",
        "events",
    ]

    let sqlite: ClientStore
    let postgres: [PostgresStore]
    let tearDown: @Sendable () async -> Void

    /// Runs `body` on a fresh pair, torn down whatever happens.
    static func with(handles: Int = 1, _ body: (ImportPair) async throws -> Void) async throws {
        let sqlite = try ClientStore.inMemory(now: { t0 })
        let (stores, tearDown) = try await PostgresTestServer.openHandles(handles)
        let pair = ImportPair(sqlite: sqlite, postgres: stores, tearDown: tearDown)
        try await withTearDown(pair, tearDown, body)
    }

    /// An importer into SQLite and one into PostgreSQL (through handle `handle`), each with import ids from `imp-1`.
    var importers: (sqlite: ClientImporter, postgres: ClientImporter) { importers(handle: 0) }

    func importers(handle: Int) -> (sqlite: ClientImporter, postgres: ClientImporter) {
        (
            ClientImporter(store: sqlite, ids: .sequential()),
            ClientImporter(target: PostgresImportTarget(store: postgres[handle], now: { Self.t0 }), ids: .sequential())
        )
    }

    /// Runs one import into each store: what each returned or threw.
    func both(_ body: (ClientImporter) throws -> ImportSummary) -> (sqlite: ImportOutcome, postgres: ImportOutcome) {
        let (intoSQLite, intoPostgres) = importers
        return (ImportOutcome { try body(intoSQLite) }, ImportOutcome { try body(intoPostgres) })
    }

    /// What SQLite holds.
    func sqliteState() throws -> StoredImport {
        var counts: [String: Int] = [:]
        for table in Self.tables {
            counts[table] = try sqlite.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") } ?? -1
        }
        let ids = try sqlite.writer.read { db in try String.fetchAll(db, sql: "SELECT id FROM clients") }
        return try StoredImport(counts: counts, clientIDs: ids, memory: sqlite, events: EventRepository(store: sqlite))
    }

    /// What PostgreSQL holds.
    func postgresState() async throws -> StoredImport {
        let store = postgres[0]
        var counts: [String: Int] = [:]
        for table in Self.tables {
            counts[table] = Int(try await store.strings("SELECT CAST(COUNT(*) AS TEXT) FROM \(table)").first ?? "") ?? -1
        }
        let ids = try await store.strings("SELECT id FROM clients")
        return try StoredImport(
            counts: counts, clientIDs: ids, memory: PostgresClientMemory(store: store), events: PostgresEventStore(store: store))
    }
}

/// An import's summary, or the error it was refused with.
struct ImportOutcome: Sendable, CustomStringConvertible {
    let summary: ImportSummary?
    let error: (any Error)?

    init(_ run: () throws -> ImportSummary) {
        do {
            (summary, error) = (try run(), nil)
        } catch {
            (summary, self.error) = (nil, error)
        }
    }

    var importError: ImportError? { error as? ImportError }

    /// The summary or the error, as a person reads it: two stores that did the same compare equal by it.
    var description: String {
        if let summary { return "summary \(summary)" }
        if let importError { return "refused \(importError.code.rawValue): \(importError.description)" }
        return "failed: \(String(describing: error))"
    }
}

/// What a store holds after imports: how many rows each table has, each client's snapshot (by id), and the events
/// (`kind subject payload`, oldest first).
struct StoredImport: Equatable, Sendable {
    var counts: [String: Int]
    var snapshots: [String: ClientSnapshot]
    var events: [String]

    init(counts: [String: Int], clientIDs: [String], memory: any ClientMemoryReading, events: any EventStoring) throws {
        self.counts = counts
        var snapshots: [String: ClientSnapshot] = [:]
        for id in clientIDs { snapshots[id] = try memory.snapshot(clientID: id, activitiesSince: .distantPast) }
        self.snapshots = snapshots
        self.events = try events.events(after: 0, kinds: nil, clientID: nil, limit: 100_000).map {
            "\($0.kind) \($0.subjectID ?? "-") \($0.payload)"
        }
    }

    /// The events of `kind`.
    func events(_ kind: String) -> [String] { events.filter { $0.hasPrefix(kind + " ") } }
}
