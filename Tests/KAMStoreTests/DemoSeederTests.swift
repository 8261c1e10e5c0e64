import Foundation
import KAMCore
import KAMTesting
import Testing

@testable import KAMStore

@Suite("Demo seeder")
struct DemoSeederTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    @Test("eight accounts, seven users in two teams (a manager and two members each, an admin); a second run duplicates nothing")
    func idempotent() throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        let first = try DemoSeeder.seedDemo(into: store, now: Self.now)
        #expect(first.clients.created == 8)
        let counts = try store.counts()
        #expect(counts.users == 7)
        let accounts = try UserRepository(store: store).accounts()
        #expect(try UserRepository(store: store).teams().map(\.id) == ["enterprise", "growth"])
        for team in ["enterprise", "growth"] {
            let members = accounts.filter { $0.team == team && $0.role == .member }
            #expect(accounts.filter { $0.team == team && $0.role == .manager }.count == 1, "\(team)")
            #expect(members.count == 2, "\(team)")
            let clients = try store.listClients()
            #expect(members.allSatisfy { member in clients.contains { $0.ownerID == member.id } }, "every member owns a client")
        }
        #expect(accounts.filter { $0.role == .admin }.map(\.id) == ["maria"])
        let second = try DemoSeeder.seedDemo(into: store, now: Self.now)
        #expect(second.clients == .init(updated: 8))
        #expect(second.activities.created == 0 && second.memory.created == 0 && second.orders.created == 0)
        #expect(try store.counts() == counts)
        #expect(try DemoSeeder.isSeeded(DemoData.document(now: Self.now), in: store))
    }

    @Test("the demo holds the situations KAM must notice")
    func situations() throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        try DemoSeeder.seedDemo(into: store, now: Self.now)
        let month = Self.now.addingTimeInterval(-30 * 86_400)
        let snapshots = try store.listClients().map { try #require(try store.snapshot(clientID: $0.id, activitiesSince: month)) }
        #expect(snapshots.contains { $0.openDeals.contains { $0.daysInStage(at: Self.now) == 20 } })
        #expect(snapshots.contains { $0.pendingTasks.contains { $0.isOverdue(at: Self.now) } })
        #expect(snapshots.contains { s in s.lastInteractionAt.map { Int(Self.now.timeIntervalSince($0) / 86_400) } == 10 })
        #expect(snapshots.contains { $0.activities.contains { ($0.sentiment ?? 0) > 0.5 && Self.now.timeIntervalSince($0.occurredAt) < 2 * 86_400 } })
        #expect(snapshots.filter { !$0.client.consentTraining }.count == 2)  // umbrella, and stark (no AI analysis at all)
        #expect(snapshots.filter { !$0.client.consentAIAnalysis }.map(\.client.id) == ["stark"])
        #expect(Set(snapshots.map(\.client.tier)).count >= 4)
        #expect(snapshots.allSatisfy { !$0.contacts.isEmpty && !$0.memory.isEmpty && $0.owner != nil })
        #expect(snapshots.contains { $0.memory.contains { $0.kind == .preference } })
    }
}
