import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

/// The rules' facts read for many clients at once are, client by client, the facts of each client's snapshot.
@Suite struct RuleFactsReaderTests {
    static let day = 86_400.0

    /// A generated store of 60 clients, with health scores (two for some clients, equal times for one), orders on
    /// both sides of every window boundary and in the future, an activity in the future, and a client with nothing.
    static func store() throws -> (ClientStore, [String], Date, TemporaryFile) {
        var configuration = SyntheticStore.Configuration()
        configuration.clients = 60
        configuration.activities = 6_000
        configuration.deals = 90
        configuration.tasks = 60
        configuration.users = 4
        let file = TemporaryFile()
        let (store, summary) = try SyntheticStore.generate(path: file.path, configuration: configuration)
        let now = configuration.now
        let health = HealthRepository(store: store)
        for (n, client) in summary.clientIDs.enumerated() where n % 3 != 0 {
            try health.record(HealthScore(clientID: client, score: 40 + n, factors: [], computedAt: now.addingTimeInterval(-2 * day)))
            if n % 2 == 0 {
                try health.record(HealthScore(clientID: client, score: 90 - n, factors: [], computedAt: now.addingTimeInterval(-day)))
            }
            if n % 5 == 0 {
                // Same time: the later row wins, as in the snapshot path's ORDER BY computed_at DESC, id DESC.
                try health.record(HealthScore(clientID: client, score: 11, factors: [], computedAt: now.addingTimeInterval(-day)))
            }
        }
        for (n, client) in summary.clientIDs.prefix(20).enumerated() {
            for offset in [-61.0, -60, -59.5, -30, -29.9, -1, 3] {
                _ = try store.upsertOrder(
                    Order(clientID: client, product: "p\(n)", quantity: 1, amount: Double(10 + n) * (offset + 70), orderedAt: now.addingTimeInterval(offset * day)))
            }
        }
        _ = try store.upsertActivity(
            Activity(clientID: summary.clientIDs[1], kind: .email, direction: .inbound, occurredAt: now.addingTimeInterval(2 * day), sentiment: 0.4))
        _ = try store.addClient(Client(id: "empty", name: "Empty", createdAt: now.addingTimeInterval(-400 * day)))
        return (store, summary.clientIDs + ["empty"], now, file)
    }

    @Test func everyClientsFactsEqualItsSnapshotsAtSeveralMoments() throws {
        let (store, ids, end, file) = try Self.store()
        defer { file.remove() }
        for now in [end, end.addingTimeInterval(-45 * Self.day), end.addingTimeInterval(-200 * Self.day)] {
            // A chunk of 7 so that the 61 clients span nine statements' worth of chunks.
            let read = try RuleFactsReader(store: store, chunk: 7).facts(clientIDs: ids + ["no-such-client"], at: now)
            #expect(read.count == ids.count)
            #expect(read["no-such-client"] == nil)
            var compared = 0
            var withInbound = 0
            var withGrowth = 0
            for id in ids {
                let snapshot = try #require(
                    try store.snapshot(clientID: id, activitiesSince: now.addingTimeInterval(-RuleFacts.activityWindow)))
                let health = try HealthRepository(store: store).history(clientID: id, limit: 1).first?.score
                let expected = RuleFacts(snapshot: snapshot, health: health, at: now)
                #expect(read[id] == expected, "client \(id) at \(now)")
                compared += 1
                if expected.inboundLast30 + expected.inboundPrior30 > 0 { withInbound += 1 }
                if expected.usageGrowth != nil { withGrowth += 1 }
            }
            #expect(compared == ids.count)
            // The comparison is not of empty facts: windows, growth and health are populated for many clients.
            if now == end {
                #expect(withInbound > 20)
                #expect(withGrowth >= 20)
                #expect(read.values.filter { $0.health != nil }.count == 40)
                #expect(read.values.contains { !$0.openDeals.isEmpty })
            }
        }
    }

    @Test func noClientsReadsNothing() throws {
        let (store, _, now, file) = try Self.store()
        defer { file.remove() }
        #expect(try RuleFactsReader(store: store).facts(clientIDs: [], at: now).isEmpty)
    }
}
