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
        #expect(try HealthRepository(store: world.runtime.sqliteStore!).transitions(clientID: "wayne").last == move)
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
        let snapshot = try #require(try world.runtime.sqliteStore!.snapshot(clientID: "initech", activitiesSince: world.now))
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

    @Test func anUpdateChangesTheDealsOwnFieldsAndNamesThemInDealUpdated() async throws {
        let world = try await CRMTestWorld.demo()
        let deal = try Self.openDeal(world, "initech")
        let events = try world.runtime.events.list(kinds: [.dealUpdated], as: .anonymous).count
        let close = Date(timeIntervalSince1970: 1_800_000_000)
        let update = try world.runtime.deals.update(
            deal.id!, DealService.Fields(name: "  Platform renewal ", amount: 48_000, currency: "eur", closeDate: close, probability: 0.8),
            as: ActingUser("tom"))
        #expect(update.fields == ["name", "amount", "currency", "close_date", "probability"])
        #expect(update.deal.name == "Platform renewal" && update.deal.amount == 48_000 && update.deal.currency == "EUR")
        #expect(update.deal.closeDate == close && update.deal.probability == 0.8)
        #expect(update.deal.stage == deal.stage && update.deal.history == deal.history, "the stage and its history stay")
        #expect(update.refresh?.clientID == "initech")
        #expect(try world.runtime.deals.deal(deal.id!, as: .anonymous) == update.deal, "stored as answered")
        let logged = try world.runtime.events.list(kinds: [.dealUpdated], as: .anonymous)
        #expect(logged.count == events + 1)
        #expect(
            logged.last?.payload
                == #"{"client_id":"initech","fields":["name","amount","currency","close_date","probability"],"id":"\#(deal.id!)","#
                + #""stage":"\#(deal.stage.rawValue)","user_id":"tom"}"#, "names, never values")

        // Values already stored change nothing and append nothing; clearing the close date is one field.
        let same = try world.runtime.deals.update(deal.id!, DealService.Fields(amount: 48_000), as: .anonymous)
        #expect(same.fields.isEmpty && same.refresh == nil)
        let cleared = try world.runtime.deals.update(deal.id!, DealService.Fields(clearCloseDate: true), as: .anonymous)
        #expect(cleared.fields == ["close_date"] && cleared.deal.closeDate == nil)
        #expect(try world.runtime.events.list(kinds: [.dealUpdated], as: .anonymous).count == events + 2)
    }

    @Test func anUpdateRefusesNothingBadValuesAndAClosedDealsProbability() async throws {
        let world = try await CRMTestWorld.demo()
        let deal = try Self.openDeal(world, "globex")
        let bad: [(DealService.Fields, String)] = [
            (DealService.Fields(), "deal.nothing-to-change"),
            (DealService.Fields(name: " "), "deal.invalid-name"),
            (DealService.Fields(amount: -1), "deal.invalid-amount"),
            (DealService.Fields(amount: .nan), "deal.invalid-amount"),
            (DealService.Fields(currency: "euro"), "deal.invalid-currency"),
            (DealService.Fields(probability: 1.2), "deal.invalid-probability"),
            (DealService.Fields(closeDate: world.now, clearCloseDate: true), "deal.invalid-close-date"),
        ]
        for (fields, code) in bad {
            #expect { try world.runtime.deals.update(deal.id!, fields, as: .anonymous) } throws: { error in
                let error = error as? RuntimeError
                return error?.kind == .invalidInput && error?.code == code && error?.message.contains("deal \(deal.id!)") == true
            }
        }
        #expect { try world.runtime.deals.update(999, DealService.Fields(amount: 1), as: .anonymous) } throws: { error in
            (error as? RuntimeError)?.code == "deal.not-found"
        }
        try world.runtime.deals.move(deal.id!, to: .closedWon, as: .anonymous)
        #expect { try world.runtime.deals.update(deal.id!, DealService.Fields(amount: 1, probability: 0.5), as: .anonymous) } throws: {
            error in
            let error = error as? RuntimeError
            return error?.kind == .wrongState && error?.code == "deal.closed"
        }
        #expect(try world.runtime.deals.deal(deal.id!, as: .anonymous).amount == deal.amount, "the refusal stored nothing")
        // A won deal's amount may still be corrected.
        #expect(try world.runtime.deals.update(deal.id!, DealService.Fields(amount: 1), as: .anonymous).fields == ["amount"])
        #expect(try world.runtime.events.list(kinds: [.dealUpdated], as: .anonymous).count == 1)
    }
}
