import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct ClientServiceTests {
    @Test func addStoresEveryFieldWithARenewalDateAndScoresTheClient() async throws {
        let world = try await CRMTestWorld.demo()
        let renewal = world.now.addingTimeInterval(30 * 86_400)
        let added = try world.runtime.clients.add(
            id: nil,
            ClientService.Fields(
                name: " Nakatomi Trading ", industry: "trading", tier: .professional, domain: "Nakatomi.Example",
                owner: "maria.lopez@kam.example", monthlyBudget: 90, currency: "eur", consentTraining: true,
                renewalDate: renewal),
            as: ActingUser("maria"))
        #expect(added.created)
        let stored = try #require(try world.runtime.sqliteStore!.client(id: "nakatomi-trading"))
        #expect(stored.name == "Nakatomi Trading")
        #expect(stored.domain == "nakatomi.example")
        #expect(stored.ownerID == "maria")
        #expect(stored.currency == "EUR")
        #expect(stored.renewalDate == renewal)
        #expect(stored.consentAIAnalysis && stored.consentTraining)
        #expect(stored.lifecycle == .active && stored.leadStatus == .won)
        #expect(added.refresh.health != nil)
        // Never contacted and renewing in 30 days: a renewal risk, with the renewal as evidence.
        let risk = try #require(added.refresh.added.first { $0.type == .renewalRisk })
        #expect(risk.title == "Renewal at risk: Nakatomi Trading renews in 30 days")
        #expect(risk.evidence.first?.summary.contains("in 30 days") == true)
        // The renewal shows in the context the model sees.
        let context = try world.runtime.context(clientID: "nakatomi-trading", budget: nil)
        #expect(context.text.contains("contract renews \(ImportDate.day(renewal))"))
    }

    @Test func movingTheRenewalOutOfTheWindowResolvesTheRisk() async throws {
        let world = try await CRMTestWorld.demo()
        let soon = world.now.addingTimeInterval(20 * 86_400)
        let first = try world.runtime.clients.update("hooli", ClientService.Fields(renewalDate: soon), as: .anonymous)
        let risk = try #require(first.refresh.added.first { $0.type == .renewalRisk }, "hooli's health is 50")
        let later = try world.runtime.clients.update(
            "hooli", ClientService.Fields(renewalDate: world.now.addingTimeInterval(200 * 86_400)), as: ActingUser("aisha"))
        #expect(later.refresh.resolved.map(\.id) == [risk.id])
        #expect(later.refresh.resolved.first?.resolution == "client updated (renewal date) by aisha")
        let cleared = try world.runtime.clients.update("hooli", ClientService.Fields(clearing: [.renewalDate]), as: .anonymous)
        #expect(cleared.client.renewalDate == nil)
        #expect(try world.runtime.sqliteStore!.client(id: "hooli")?.renewalDate == nil)
    }

    @Test func aNewLeadStatusIsKeptAsAManualTransition() async throws {
        let world = try await CRMTestWorld.demo()
        let write = try world.runtime.clients.update(
            "acme", ClientService.Fields(tier: .enterprise, leadStatus: .negotiation), reason: "renewal talks",
            as: ActingUser("maria"))
        let move = try #require(write.leadTransition)
        #expect(move.from == .won && move.to == .negotiation && !move.automatic && move.reason == "renewal talks")
        #expect(write.client.leadStatus == .negotiation)
        let kept = try HealthRepository(store: world.runtime.sqliteStore!).transitions(clientID: "acme")
        #expect(kept.last == move)
        #expect(write.client.tier == .enterprise)
        // Fields not named stay; the creation time stays, the update time is now.
        #expect(write.client.ownerID == "maria")
        #expect(write.client.createdAt < world.now)
        #expect(write.client.updatedAt == world.now)
    }

    @Test func refusalsNameTheClientTheFieldAndWhatToDo() async throws {
        let world = try await CRMTestWorld.demo()
        let clients = world.runtime.clients
        let cases: [(() throws -> Any, String, String)] = [
            ({ try clients.add(id: nil, ClientService.Fields(name: "Acme"), as: .anonymous) }, "client.exists", "kam clients update acme"),
            ({ try clients.add(id: "Acme Two", ClientService.Fields(name: "A2"), as: .anonymous) }, "client.invalid-id", "acme-two"),
            ({ try clients.add(id: nil, ClientService.Fields(), as: .anonymous) }, "client.name-missing", "kam clients add NAME"),
            ({ try clients.update("acme", ClientService.Fields(owner: "nobody"), as: .anonymous) }, "client.invalid-owner", "maria"),
            ({ try clients.update("acme", ClientService.Fields(domain: "no spaces.example"), as: .anonymous) }, "client.invalid-domain", "client 'acme'"),
            ({ try clients.update("acme", ClientService.Fields(monthlyBudget: -1), as: .anonymous) }, "client.invalid-monthly-budget", "client 'acme'"),
            ({ try clients.update("acme", ClientService.Fields(currency: "dollars"), as: .anonymous) }, "client.invalid-currency", "ISO 4217"),
            ({ try clients.update("acme", ClientService.Fields(), as: .anonymous) }, "client.nothing-to-change", "client 'acme'"),
            ({ try clients.update("no-such", ClientService.Fields(industry: "x"), as: .anonymous) }, "client.not-found", "kam clients list"),
        ]
        for (call, code, advice) in cases {
            #expect(throws: RuntimeError.self) { try call() }
            do {
                _ = try call()
            } catch let error as RuntimeError {
                #expect(error.code == code)
                #expect(error.message.contains(advice), "\(error.message)")
            }
        }
        #expect(try world.runtime.sqliteStore!.counts().clients == 8, "nothing was stored")
    }
}
