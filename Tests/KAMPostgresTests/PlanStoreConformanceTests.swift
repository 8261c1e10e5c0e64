import Foundation
import KAMCore
import Testing

@testable import KAMPostgres

/// The daily plans and the weekly analysis on SQLite and on PostgreSQL: every method gives the same answers, and
/// what must hold across processes holds through two handles (a plan written once a user and day, an item marked
/// once, each with one event).
@Suite("Plan store conformance")
struct PlanStoreConformanceTests {
    static let morning = Date(timeIntervalSince1970: 1_795_003_200)

    static func item(_ n: Int, target: String, winProbability: Double? = nil) -> PlanItem {
        PlanItem(
            clientID: "acme", clientName: "Acme Manufacturing", source: n == 0 ? .overdueTask : .stuckDeal, target: target,
            title: "Item \(n)", reason: "because \(n)", score: 90 - n, winProbability: winProbability, talkingPoint: "point \(n)")
    }

    static func plan(_ user: String, day: String, items: [PlanItem], at: Date = morning) -> NewDailyPlan {
        NewDailyPlan(
            userID: user, day: day, timeZone: "Europe/Berlin", createdAt: at, clients: 3, items: items,
            brief: DailyReviewPlan(topPriorities: [], risks: [], quickWins: []), briefNote: nil)
    }

    @Test("a plan is stored once a user and day, with its items in order, and read back as written", arguments: StoreBackend.allCases)
    func saveAndRead(_ kind: StoreBackend) async throws {
        try await kind.withWorld(PlanWorld.self) { world in
            let items = [Self.item(0, target: "task:40"), Self.item(1, target: "deal:12", winProbability: 0.35)]
            let (stored, created) = try world.plans[0].save(Self.plan("maria", day: "2026-12-05", items: items))
            #expect(created)
            #expect(stored.userID == "maria" && stored.day == "2026-12-05" && stored.timeZone == "Europe/Berlin")
            #expect(stored.createdAt == Self.morning && stored.clients == 3 && stored.briefNote == nil)
            #expect(stored.brief == DailyReviewPlan(topPriorities: [], risks: [], quickWins: []))
            #expect(stored.items.map(\.item) == items)
            #expect(stored.items.allSatisfy { $0.doneAt == nil && $0.doneBy == nil })
            // Run again (its first runner died): the stored plan stands, whatever the second one holds.
            let again = try world.plans[1].save(Self.plan("maria", day: "2026-12-05", items: [Self.item(7, target: "client:x")]))
            #expect(!again.created && again.plan == stored)
            #expect(try world.plans[1].plan(userID: "maria", day: "2026-12-05") == stored)
            #expect(try world.plans[0].plan(userID: "maria", day: "2026-12-06") == nil)
            #expect(try world.plans[0].plan(userID: "tom", day: "2026-12-05") == nil)
            let first = try #require(stored.items.first)
            let found = try #require(try world.plans[1].item(id: first.id))
            #expect(found.item == first && found.userID == "maria")
            #expect(try world.plans[0].item(id: 999_999) == nil)
            #expect(try await world.events("plan.stored") == 1)
        }
    }

    @Test("an item is marked done and reopened by hand once each, with one event each", arguments: StoreBackend.allCases)
    func byHand(_ kind: StoreBackend) async throws {
        try await kind.withWorld(PlanWorld.self) { world in
            let stored = try world.plans[0].save(Self.plan("maria", day: "2026-12-05", items: [Self.item(0, target: "task:40")])).plan
            let id = try #require(stored.items.first?.id)
            let later = Self.morning.addingTimeInterval(3_600)
            #expect(try world.plans[0].markDone(itemID: id, at: later, by: "maria"))
            #expect(try !world.plans[1].markDone(itemID: id, at: later.addingTimeInterval(60), by: "tom"))
            let done = try #require(try world.plans[1].item(id: id)?.item)
            #expect(done.doneAt == later && done.doneBy == "by hand (maria)")
            #expect(try world.plans[1].reopen(itemID: id, at: later, by: nil))
            #expect(try !world.plans[0].reopen(itemID: id, at: later, by: nil))
            #expect(try world.plans[0].item(id: id)?.item.doneAt == nil)
            #expect(try !world.plans[0].markDone(itemID: 999_999, at: later, by: nil))
            #expect(try await world.events("plan.item-done") == 1)
            #expect(try await world.events("plan.item-reopened") == 1)
        }
    }

    @Test("an event marks the open items about its target in plans written before it, once", arguments: StoreBackend.allCases)
    func byEvent(_ kind: StoreBackend) async throws {
        try await kind.withWorld(PlanWorld.self) { world in
            let early = try world.plans[0].save(
                Self.plan("maria", day: "2026-12-05", items: [Self.item(0, target: "task:40"), Self.item(1, target: "deal:12")])
            ).plan
            // Tom's plan is written after the event happened: the event does not complete it.
            let late = try world.plans[0].save(
                Self.plan("tom", day: "2026-12-05", items: [Self.item(0, target: "task:40")], at: Self.morning.addingTimeInterval(7_200))
            ).plan
            let happened = Self.morning.addingTimeInterval(3_600)
            #expect(try world.plans[1].markDone(target: "task:40", happenedAt: happened, byEvent: 57, kind: "task.status-changed") == 1)
            #expect(try world.plans[0].markDone(target: "task:40", happenedAt: happened, byEvent: 57, kind: "task.status-changed") == 0)
            #expect(try world.plans[0].markDone(target: "task:41", happenedAt: happened, byEvent: 58, kind: "task.status-changed") == 0)
            let marked = try #require(try world.plans[0].item(id: early.items[0].id)?.item)
            #expect(marked.doneAt == happened && marked.doneBy == "task.status-changed #57")
            #expect(try world.plans[0].item(id: early.items[1].id)?.item.doneAt == nil)
            #expect(try world.plans[0].item(id: late.items[0].id)?.item.doneAt == nil)
            let completion = try world.plans[1].completion(days: "2026-12-01"..."2026-12-07")
            #expect(completion.count == 2)
            #expect(completion["maria"]?.done == 1 && completion["maria"]?.total == 2)
            #expect(completion["tom"]?.done == 0 && completion["tom"]?.total == 1)
            #expect(try world.plans[0].completion(days: "2026-11-01"..."2026-11-30").isEmpty)
        }
    }

    @Test("racing reviews store one plan, and racing marks mark an item once with one event", arguments: StoreBackend.allCases)
    func races(_ kind: StoreBackend) async throws {
        try await kind.withWorld(PlanWorld.self) { world in
            let plans = world.plans
            let saved = try await withThrowingTaskGroup(of: (Int64, Bool).self) { group in
                for n in 0..<8 {
                    group.addTask {
                        let result = try plans[n % 2].save(Self.plan("tom", day: "2026-12-05", items: [Self.item(n, target: "task:\(n)")]))
                        return (result.plan.id, result.created)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(saved.filter(\.1).count == 1)
            #expect(Set(saved.map(\.0)).count == 1)
            #expect(try await world.events("plan.stored") == 1)
            let id = try #require(try plans[0].plan(userID: "tom", day: "2026-12-05")?.items.first?.id)
            let marks = try await withThrowingTaskGroup(of: Bool.self) { group in
                for n in 0..<8 {
                    group.addTask { try plans[n % 2].markDone(itemID: id, at: Self.morning, by: "tom") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(marks.filter { $0 }.count == 1)
            #expect(try await world.events("plan.item-done") == 1)
        }
    }

    static func week(_ owner: String, _ week: String, clients: Int) -> OwnerWeek {
        OwnerWeek(
            ownerID: owner, week: week, clients: clients, atRisk: ["acme"], draftsApproved: 3, draftsDecided: 4,
            suggestionsAccepted: 2, suggestionsDecided: 5, planItemsDone: 6, planItems: 9)
    }

    @Test("the weekly analysis keeps one report an owner and week, and reads the latest week", arguments: StoreBackend.allCases)
    func weeks(_ kind: StoreBackend) async throws {
        try await kind.withWorld(PlanWorld.self) { world in
            let (tom23, maria23, tom30) = (
                Self.week("tom", "2026-11-23", clients: 1), Self.week("maria", "2026-11-23", clients: 2),
                Self.week("tom", "2026-11-30", clients: 3)
            )
            #expect(try world.weeks[0].reports(week: nil).isEmpty)
            let first = try world.weeks[0].save([tom23, maria23], now: Self.morning)
            // Tom's report for the 23rd again, from the other process, with other figures: the first one stays.
            let second = try world.weeks[1].save([tom30, Self.week("tom", "2026-11-23", clients: 9)], now: Self.morning)
            #expect(first == 2 && second == 1)
            let latest = try world.weeks[1].reports(week: nil)
            #expect(latest == [tom30])
            let earlier = try world.weeks[0].reports(week: "2026-11-23")
            #expect(earlier == [maria23, tom23])
            #expect(try world.weeks[0].reports(week: "2026-11-16").isEmpty)
        }
    }
}
