import Foundation
import KAMCore
import KAMTesting
import Testing

@Suite("InMemoryClientMemory")
struct ContextInMemoryClientMemoryTests {
    let store = ContextFixtures.store()

    @Test func snapshotHasTheWindowOpenDealsPendingTasksAndOrdersNewestFirst() throws {
        let snapshot = try #require(try store.snapshot(clientID: "acme", activitiesSince: ContextFixtures.daysAgo(30)))
        #expect(snapshot.activities.count == 11)
        #expect(snapshot.activities.first?.id == 101)
        #expect(snapshot.lastInteractionAt == ContextFixtures.daysAgo(1))
        #expect(snapshot.openDeals.map(\.id) == [201, 202])
        #expect(!snapshot.pendingTasks.contains { $0.id == 304 })
        #expect(snapshot.orders.first?.id == 401)
        #expect(snapshot.owner?.name == "Jane Doe")
        #expect(try store.snapshot(clientID: "nobody", activitiesSince: ContextFixtures.now) == nil)
    }

    @Test func resolvesByIdNameEmailAndDomain() throws {
        #expect(try store.resolveClient("acme") == .found(ContextFixtures.acme, matchedBy: .id))
        #expect(try store.resolveClient("ACME corp") == .found(ContextFixtures.acme, matchedBy: .name))
        #expect(try store.resolveClient("bob@acme.com") == .found(ContextFixtures.acme, matchedBy: .contactEmail))
        #expect(try store.resolveClient("acme.com") == .found(ContextFixtures.acme, matchedBy: .emailDomain))
        #expect(try store.resolveClient("globex.com") == .found(ContextFixtures.globex, matchedBy: .emailDomain))
    }

    @Test func unknownClientsGetCloseSuggestions() throws {
        #expect(try store.resolveClient("acmee") == .notFound(suggestions: [ContextFixtures.acme]))
        #expect(try store.resolveClient("glob") == .notFound(suggestions: [ContextFixtures.globex]))
        #expect(try store.resolveClient("zzzzzzzz") == .notFound(suggestions: []))
    }

    @Test func aSharedDomainIsAmbiguous() throws {
        var shared = store
        shared.clients.append(Client(id: "acme-eu", name: "Acme Europe", domain: "acme.com", createdAt: ContextFixtures.now))
        guard case .ambiguous(let clients) = try shared.resolveClient("acme.com") else {
            Issue.record("expected ambiguous")
            return
        }
        #expect(clients.map(\.id) == ["acme", "acme-eu"])
    }
}
