import Foundation
import KAMCore
import Testing

@testable import KAMStore

/// Every SQLite connection of this test process opens after `SQLiteProcess.configure()` (the stores call it; the tests
/// that open GRDB connections of their own call it first), so its settings are in effect here.
@Suite struct SQLiteProcessTests {
    @Test func aStoreTurnsSQLitesMemoryStatisticsOff() throws {
        let store = try ClientStore.inMemory()
        for index in 0..<50 {
            try store.upsertClient(Client(id: "client-\(index)", name: "Client \(index)", createdAt: Date(timeIntervalSince1970: 0)))
        }
        #expect(SQLiteProcess.configure())
        // With the statistics on, SQLite counts tens of kilobytes for a database this size.
        #expect(SQLiteProcess.countedBytes == 0)
    }
}

/// A statement whose journal outgrows the spill size (`SQLiteProcess.statementJournalBytes`) spills it to a file and
/// succeeds. With the size at 128 KiB or more, SQLite's unix VFS failed the spill's first write and the statement with
/// "database or disk is full".
@Suite struct StatementJournalSpillTests {
    @Test func aStatementJournalingMegabytesInATransactionSucceeds() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kam-stmt-journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try ClientStore.open(path: folder.appendingPathComponent("store.sqlite").path)
        #expect(SQLiteProcess.configure())
        #expect(SQLiteProcess.statementJournalBytes < 128 << 10)
        let rows = 20_000
        let changed = try store.writer.write { db -> Int in
            try db.execute(sql: "CREATE TABLE scratch(id INTEGER PRIMARY KEY, key TEXT UNIQUE, value TEXT)")
            try db.execute(
                sql: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                    INSERT INTO scratch SELECT i, 'key-' || i, hex(randomblob(40)) FROM n
                    """, arguments: [rows])
            // Every page the insert wrote is changed again by one statement that may fail half way (the unique key):
            // its journal holds them all, a few MiB.
            try db.execute(sql: "UPDATE scratch SET key = key || '-2', value = value || 'x'")
            return db.changesCount
        }
        #expect(changed == rows)
        let updated = try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scratch WHERE key LIKE '%-2'") }
        #expect(updated == rows)
    }
}
