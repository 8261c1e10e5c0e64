import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct ClientServiceReadingTests {
    @Test func listIsEveryClientByNameAndFindMatchesParts() async throws {
        let world = try await CRMTestWorld.demo()
        let all = try world.runtime.clients.list(as: .anonymous)
        #expect(all.map(\.id) == ["acme", "globex", "hooli", "initech", "soylent", "stark", "umbrella", "wayne"])
        #expect(all.map(\.name) == all.map(\.name).sorted())
        try world.runtime.clients.add(id: nil, ClientService.Fields(name: "Aardvark Freight"), as: .anonymous)
        #expect(try world.runtime.clients.list(as: .anonymous).first?.id == "aardvark-freight")
        #expect(try world.runtime.clients.find("ac", as: .anonymous).map(\.id) == ["acme"])
        #expect(try world.runtime.clients.find("globex.example", as: .anonymous).map(\.id) == ["globex"])
        #expect(try world.runtime.clients.find("zzzz", as: .anonymous).isEmpty)
    }

    @Test func snapshotShowsTheActivitiesOfTheWindowByTheRuntimeClock() async throws {
        let world = try await CRMTestWorld.demo()
        let snapshot = try world.runtime.clients.snapshot("acme", activityDays: 30, as: .anonymous)
        #expect(snapshot.client.id == "acme")
        #expect(snapshot.contacts.count == 3)
        let all = try world.runtime.clients.snapshot("acme", activityDays: 10_000, as: .anonymous).activities
        #expect(!snapshot.activities.isEmpty && all.count >= snapshot.activities.count)
        for days in [1, 7, 30, 90] {
            let since = world.now.addingTimeInterval(-Double(days) * 86_400)
            let window = try world.runtime.clients.snapshot("acme", activityDays: days, as: .anonymous).activities
            #expect(Set(window.map(\.id)) == Set(all.filter { $0.occurredAt >= since }.map(\.id)), "\(days) days")
        }
        world.clock.advance(days: 400)
        #expect(try world.runtime.clients.snapshot("acme", activityDays: 30, as: .anonymous).activities.isEmpty)
        #expect { try world.runtime.clients.snapshot("nakatomi", as: .anonymous) } throws: {
            ($0 as? RuntimeError)?.code == "client.not-found"
        }
    }
}
