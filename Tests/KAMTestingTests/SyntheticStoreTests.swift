import Foundation
import GRDB
import KAMCore
import KAMStore
import KAMTesting
import Testing

@Suite("SyntheticStore")
struct SyntheticStoreTests {
    /// A small store: the generator's shape at a size a test can write in milliseconds.
    static func small(seed: UInt64 = 42) -> SyntheticStore.Configuration {
        var configuration = SyntheticStore.Configuration()
        configuration.clients = 30
        configuration.activities = 400
        configuration.deals = 45
        configuration.tasks = 60
        configuration.users = 4
        configuration.seed = seed
        return configuration
    }

    /// Every generated row, table by table, as text: equal dumps mean equal stores.
    static func dump(_ store: ClientStore) throws -> [String] {
        try store.writer.read { db in
            try ["users", "clients", "contacts", "orders", "client_memory", "activities", "deals", "deal_stage_history", "tasks"]
                .flatMap { table in
                    try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid").map { "\(table) \($0)" }
                }
        }
    }

    @Test func writesTheConfiguredCounts() throws {
        let file = TemporaryFile()
        defer { file.remove() }
        let configuration = Self.small()
        let (store, summary) = try SyntheticStore.generate(path: file.path, configuration: configuration)
        #expect(summary.generated)
        #expect(summary.counts == configuration.expectedCounts)
        #expect(try store.counts() == configuration.expectedCounts)
        #expect(try store.counts().clients == 30)
        #expect(try store.counts().activities == 400)
        #expect(try store.counts().contacts == 30 * configuration.contactsPerClient)
        #expect(summary.clientIDs.count == 30)
        #expect(summary.clientIDs.first == "client-00001")
        #expect(summary.clientIDs.last == SyntheticStore.clientID(29))
        for id in summary.clientIDs {
            #expect(try store.client(id: id) != nil, "generated client \(id) is missing")
        }
    }

    @Test func activitiesBelongToGeneratedClientsWithinTheYearBeforeNow() throws {
        let file = TemporaryFile()
        defer { file.remove() }
        let configuration = Self.small()
        let (store, summary) = try SyntheticStore.generate(path: file.path, configuration: configuration)
        let now = configuration.now.timeIntervalSince1970
        let (owners, times) = try store.writer.read { db in
            (
                try Set(String.fetchAll(db, sql: "SELECT DISTINCT client_id FROM activities")),
                try Double.fetchAll(db, sql: "SELECT occurred_at FROM activities")
            )
        }
        #expect(owners.isSubset(of: Set(summary.clientIDs)))
        #expect(times.count == 400)
        #expect(times.allSatisfy { $0 <= now && $0 > now - 366 * 86_400 })
    }

    @Test func theSameSeedGivesTheSameRowsAndAnotherSeedOtherRows() throws {
        let files = [TemporaryFile(), TemporaryFile(), TemporaryFile()]
        defer { files.forEach { $0.remove() } }
        let first = try Self.dump(SyntheticStore.generate(path: files[0].path, configuration: Self.small()).store)
        let again = try Self.dump(SyntheticStore.generate(path: files[1].path, configuration: Self.small()).store)
        let other = try Self.dump(SyntheticStore.generate(path: files[2].path, configuration: Self.small(seed: 7)).store)
        #expect(first.count > 400)
        #expect(first == again)
        #expect(first != other)
    }

    @Test func reusesAFileWithTheRightCountsAndRegeneratesOtherwise() throws {
        let file = TemporaryFile()
        defer { file.remove() }
        _ = try SyntheticStore.generate(path: file.path, configuration: Self.small())
        let reused = try SyntheticStore.generate(path: file.path, configuration: Self.small()).summary
        #expect(!reused.generated)
        #expect(reused.seconds == 0)
        var bigger = Self.small()
        bigger.clients = 31
        let regenerated = try SyntheticStore.generate(path: file.path, configuration: bigger).summary
        #expect(regenerated.generated)
        #expect(regenerated.counts == bigger.expectedCounts)
    }
}
