import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct DealServiceTests {
    static func openDeal(_ world: CRMTestWorld, _ clientID: String) throws -> Deal {
        try #require(try world.runtime.deals.list(clientID: clientID, as: .anonymous).first)
    }

    @Test func aWonDealMakesTheLeadWon() async throws {
        let world = try await CRMTestWorld.demo()
        #expect(try world.runtime.client("wayne").leadStatus == .qualified)
        world.suggest("wayne")
        let deal = try Self.openDeal(world, "wayne")
        let won = try world.runtime.deals.move(deal.id!, to: .closedWon, as: ActingUser("aisha"))
        #expect(won.deal.stage == .closedWon)
        #expect(won.deal.probability == 1)
        #expect(won.from == deal.stage)
        let move = try #require(won.leadTransition)
        #expect(move.from == .qualified && move.to == .won && move.automatic)
        #expect(move.reason == "deal '\(deal.name)' won")
        #expect(try world.runtime.client("wayne").leadStatus == .won)
        #expect(try HealthRepository(store: world.runtime.store).transitions(clientID: "wayne").last == move)
        // A won lead no longer gets the "schedule a meeting" suggestion.
        #expect(won.refresh.resolved.contains { $0.type == .scheduleMeeting })
        #expect(try world.runtime.deals.list(clientID: "wayne", as: .anonymous).isEmpty, "no open deal left")
        #expect(try world.runtime.deals.list(clientID: "wayne", includeClosed: true, as: .anonymous).map(\.id) == [deal.id])
    }

    @Test func everyMoveIsKeptWithWhoAndWhen() async throws {
        let world = try await CRMTestWorld.demo()
        let deal = try Self.openDeal(world, "initech")
        #expect(deal.history.map(\.stage) == [.qualification])
        world.clock.advance(days: 1)
        let first = world.now
        try world.runtime.deals.move(deal.id!, to: .proposal, as: ActingUser("tom"))
        world.clock.advance(days: 2)
        let second = world.now
        let moved = try world.runtime.deals.move(deal.id!, to: .negotiation, as: ActingUser("maria"))
        let history = moved.deal.history
        #expect(history.map(\.stage) == [.qualification, .proposal, .negotiation])
        #expect(history.map(\.by) == [nil, "tom", "maria"])
        #expect(Array(history.map(\.enteredAt).dropFirst()) == [first, second])
        #expect(moved.deal.stageEnteredAt == second)
        #expect(moved.deal.daysInStage(at: world.now) == 0)
        // The stored history is the same when read back, also through the snapshot the context uses.
        #expect(try world.runtime.deals.deal(deal.id!, as: .anonymous).history == history)
        let snapshot = try #require(try world.runtime.store.snapshot(clientID: "initech", activitiesSince: world.now))
        #expect(snapshot.openDeals.first { $0.id == deal.id }?.history == history)
    }

    @Test func closingTheStuckDealResolvesItsStatusCheckAndLiftsHealth() async throws {
        let world = try await CRMTestWorld.demo()
        let before = world.suggest("acme")
        let check = try #require(try world.pending("acme", .statusCheck).first, "acme's deal is 20 days in negotiation")
        let deal = try Self.openDeal(world, "acme")
        let lost = try world.runtime.deals.move(deal.id!, to: .closedLost, as: ActingUser("maria"))
        #expect(lost.leadTransition == nil, "acme is a won customer: one lost deal does not make it a lost lead")
        #expect(lost.deal.probability == 0)
        #expect(lost.refresh.resolved.map(\.id) == [check.id])
        #expect(lost.refresh.health!.score != before.health!.score)
        #expect(lost.refresh.previousHealth == before.health!.score)
    }

    @Test func aProspectsDealsMoveItsLeadForwardAndALastLostDealLosesIt() async throws {
        let world = try await CRMTestWorld.demo()
        try world.runtime.clients.add(
            id: "vandelay", ClientService.Fields(name: "Vandelay Industries", owner: "tom", lifecycle: .prospect), as: .anonymous)
        let added = try world.runtime.deals.add(
            DealService.Entry(clientID: "vandelay", name: "Latex import", amount: 12_000, stage: .proposal), as: ActingUser("tom"))
        #expect(added.leadTransition.map { "\($0.from.rawValue)→\($0.to.rawValue)" } == "new→proposal")
        #expect(added.deal.history.map(\.by) == ["tom"])
        #expect(added.deal.currency == "USD", "the client's currency")
        let negotiation = try world.runtime.deals.move(added.deal.id!, to: .negotiation, as: .anonymous)
        #expect(negotiation.leadTransition?.to == .negotiation)
        // Moving back never moves the lead back.
        let back = try world.runtime.deals.move(added.deal.id!, to: .qualification, as: .anonymous)
        #expect(back.leadTransition == nil)
        let lost = try world.runtime.deals.move(added.deal.id!, to: .closedLost, as: .anonymous)
        #expect(lost.leadTransition?.to == .lost)
        #expect(try world.runtime.client("vandelay").leadStatus == .lost)
    }

    @Test func closedDealsSameStagesAndBadInputsAreRefused() async throws {
        let world = try await CRMTestWorld.demo()
        let deal = try Self.openDeal(world, "globex")
        #expect { try world.runtime.deals.move(deal.id!, to: deal.stage, as: .anonymous) } throws: { error in
            (error as? RuntimeError)?.code == "deal.same-stage"
        }
        try world.runtime.deals.move(deal.id!, to: .closedWon, as: .anonymous)
        #expect { try world.runtime.deals.move(deal.id!, to: .negotiation, as: .anonymous) } throws: { error in
            let error = error as? RuntimeError
            return error?.kind == .wrongState && error?.code == "deal.closed"
                && error?.message.contains("kam deal add globex") == true
        }
        #expect(try world.runtime.deals.deal(deal.id!, as: .anonymous).history.count == deal.history.count + 1, "the refusal stored nothing")
        #expect { try world.runtime.deals.move(999, to: .closedWon, as: .anonymous) } throws: { error in
            (error as? RuntimeError)?.code == "deal.not-found"
        }
        let bad: [(DealService.Entry, String)] = [
            (DealService.Entry(clientID: "globex", name: "", amount: 1), "deal.invalid-name"),
            (DealService.Entry(clientID: "globex", name: "x", amount: -5), "deal.invalid-amount"),
            (DealService.Entry(clientID: "globex", name: "x", amount: 5, probability: 1.5), "deal.invalid-probability"),
            (DealService.Entry(clientID: "globex", name: "x", amount: 5, stage: .closedWon), "deal.invalid-stage"),
            (DealService.Entry(clientID: "globex", name: "x", amount: 5, currency: "euro"), "deal.invalid-currency"),
        ]
        for (entry, code) in bad {
            #expect { try world.runtime.deals.add(entry, as: .anonymous) } throws: { error in
                let error = error as? RuntimeError
                return error?.code == code && error?.message.contains("client 'globex'") == true
            }
        }
    }
}
