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
