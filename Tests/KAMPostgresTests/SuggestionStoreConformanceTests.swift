import Foundation
import KAMCore
import KAMTesting
import Synchronization
import Testing

/// The suggestions' behaviour (`SuggestionStoring`), written once and run against SQLite and PostgreSQL: storing
/// without duplicates, expiry, listing and paging, decisions, reopening, resolving, dismissals with their
/// data-quality notice, feedback, the events of each write, and the races two processes run.
///
/// A PostgreSQL case without a server is skipped with the reason (`PostgresTestServer`), and fails under CI.
@Suite("Suggestion store conformance")
struct SuggestionStoreConformanceTests {
    typealias World = SuggestionWorld
    let t0 = SuggestionWorld.start

    func suggestion(
        _ id: String, client: String = "acme", type: SuggestionType = .followUp, target: String = "client:acme",
        priority: Int = 50, days: Double = 14, source: SuggestionSource = .rule
    ) -> Suggestion {
        World.suggestion(id, client: client, type: type, target: target, priority: priority, days: days, source: source)
    }

    @Test(
        "a duplicate of an open suggestion is not stored; a decided one no longer blocks",
        arguments: StoreBackend.allCases)
    func deduplication(kind: StoreBackend) async throws {
        try await kind.withWorld(SuggestionWorld.self) { world in
            let store = world.store
            #expect(try store.add([suggestion("s1")], now: t0).map(\.id) == ["s1"])
            #expect(try store.add([suggestion("s2")], now: t0).isEmpty)
            #expect(
                try store.add([suggestion("s3", type: .upsell), suggestion("s1", type: .escalate)], now: t0).map(\.id)
                    == ["s3"])
            #expect(try store.pending(now: t0).map(\.id).sorted() == ["s1", "s3"])
            #expect(try store.suggestion(id: "s1") == suggestion("s1"))
            #expect(try store.suggestion(id: "s2") == nil)
            try store.decide(id: "s1") {
                $0.status = .snoozed
                $0.snoozedUntil = self.t0.addingTimeInterval(60)
            }
            #expect(try store.add([suggestion("s4")], now: t0).isEmpty, "a snoozed suggestion is open")
            try store.decide(id: "s1") { $0.status = .dismissed }
            #expect(try store.add([suggestion("s4")], now: t0).map(\.id) == ["s4"])
            #expect(try await world.events("suggestion.created") == ["s1", "s3", "s4"])
            #expect(try await world.events("suggestion.snoozed") == ["s1"])
            #expect(try await world.events("suggestion.dismissed") == ["s1"])
        }
    }

    @Test(
        "an expired suggestion is listed as expired without a write and stops blocking once marked",
        arguments: StoreBackend.allCases)
    func expiry(kind: StoreBackend) async throws {
        try await kind.withWorld(SuggestionWorld.self) { world in
            let store = world.store
            try store.add([suggestion("s1", days: 1), suggestion("s2", type: .upsell, days: 5)], now: t0)
            let later = t0.addingTimeInterval(2 * 86_400)
            #expect(try store.pending(now: later).map(\.id) == ["s2"])
            #expect(try store.suggestion(id: "s1")?.status == .pending)
            let expired = try store.page(SuggestionFilter(status: .expired), limit: 10, now: later)
            #expect(expired.map(\.id) == ["s1"])
            #expect(expired.map(\.status) == [.expired])
            #expect(try store.page(SuggestionFilter(status: .expired), limit: 10, now: t0).isEmpty)
            // Not expired first: s1 still blocks its twin.
            #expect(try store.add([suggestion("s3")], now: later, expiringFirst: false).isEmpty)
            #expect(try store.add([suggestion("s3")], now: later).map(\.id) == ["s3"])
            #expect(try store.suggestion(id: "s1")?.status == .expired)
            #expect(try store.expirePending(now: later) == 0)
            #expect(try store.expirePending(now: t0.addingTimeInterval(6 * 86_400)) == 1)
            #expect(try store.suggestion(id: "s2")?.status == .expired)
            #expect(try await world.events("suggestion.expired") == ["s1", "s2"])
            #expect(
                try store.page(SuggestionFilter(status: .expired), limit: 10, now: later).map(\.id) == ["s1", "s2"])
        }
    }

    @Test(
        "pages follow priority, then age, then id, across pending and due snoozed ones",
        arguments: StoreBackend.allCases)
    func paging(kind: StoreBackend) async throws {
        try await kind.withWorld(SuggestionWorld.self) { world in
            let store = world.store
            var all: [Suggestion] = []
            for index in 0..<40 {
                // Ids whose byte order differs from a locale's ("S" before "a"), and ties on priority and age.
                var s = suggestion(
                    index % 2 == 0 ? String(format: "s%02d", index) : String(format: "S%02d", index),
                    target: "t\(index)")
                s.priority = [90, 50, 50, 10][index % 4]
                s.createdAt = t0.addingTimeInterval(Double(index % 3) * 60)
                all.append(s)
            }
            try store.add(all, now: t0)
            for index in stride(from: 0, to: 40, by: 5) {
                let until = t0.addingTimeInterval(index % 10 == 0 ? -60 : 3_600)
                try store.decide(id: all[index].id) {
                    $0.status = .snoozed
                    $0.snoozedUntil = until
                }
            }
            let open = all.enumerated().filter { $0.offset % 5 != 0 || $0.offset % 10 == 0 }.map(\.element)
            let expected = open.sorted { ($0.priority, $1.createdAt, $1.id) > ($1.priority, $0.createdAt, $0.id) }.map(
                \.id)
            var paged: [String] = []
            for offset in stride(from: 0, to: 40, by: 7) {
                paged += try store.page(SuggestionFilter(), offset: offset, limit: 7, now: t0).map(\.id)
            }
            #expect(paged == expected)
            #expect(try store.page(SuggestionFilter(), offset: Int.max, limit: Int.max, now: t0).isEmpty)
            #expect(
                try store.page(SuggestionFilter(), offset: 3, limit: Int.max, now: t0).map(\.id)
                    == Array(expected.dropFirst(3)))
            let urgent = try store.page(SuggestionFilter(minimumPriority: 50), limit: 100, now: t0)
            #expect(urgent.map(\.id) == expected.filter { id in all.first { $0.id == id }!.priority >= 50 })
            let snoozed = try store.page(SuggestionFilter(status: .snoozed), limit: 100, now: t0).map(\.id)
            #expect(
                snoozed
                    == all.enumerated().filter { $0.offset % 5 == 0 }.map(\.element)
                    .sorted { ($0.priority, $1.createdAt, $1.id) > ($1.priority, $0.createdAt, $0.id) }.map(\.id))
        }
    }

    @Test(
        "lists filter by client, type, priority, status, owners and client-type pairs",
        arguments: StoreBackend.allCases)
    func filters(kind: StoreBackend) async throws {
        try await kind.withWorld(SuggestionWorld.self) { world in
            let store = world.store
            try store.add(
                [
                    suggestion("a1", priority: 80), suggestion("a2", type: .upsell, priority: 40),
                    suggestion("b1", client: "bolt", target: "client:bolt", priority: 60),
                    suggestion("c1", client: "cyan", type: .upsell, target: "client:cyan", priority: 70),
                    suggestion("c2", client: "cyan", type: .escalate, target: "client:cyan", priority: 30),
                ], now: t0)
            try store.decide(id: "c2") { $0.status = .accepted }
            func ids(_ filter: SuggestionFilter) throws -> [String] {
                try store.page(filter, limit: 100, now: t0).map(\.id)
            }
            #expect(try ids(SuggestionFilter()) == ["a1", "c1", "b1", "a2"])
            #expect(try ids(SuggestionFilter(clientID: "acme")) == ["a1", "a2"])
            #expect(try ids(SuggestionFilter(type: .upsell)) == ["c1", "a2"])
            #expect(try ids(SuggestionFilter(minimumPriority: 60)) == ["a1", "c1", "b1"])
            #expect(try ids(SuggestionFilter(status: .accepted)) == ["c2"])
            #expect(try ids(SuggestionFilter(status: .dismissed)).isEmpty)
            #expect(try ids(SuggestionFilter(clientOwners: ["ana"])) == ["a1", "b1", "a2"])
            #expect(try ids(SuggestionFilter(clientOwners: ["ben", "nobody"])) == ["c1"])
            #expect(try ids(SuggestionFilter(clientOwners: [])).isEmpty)
            #expect(try ids(SuggestionFilter(clientID: "acme", type: .upsell, clientOwners: ["ana"])) == ["a2"])
            var pairs = SuggestionFilter()
            pairs.pairs = [ClientAndType(clientID: "acme", type: .upsell), ClientAndType(clientID: "cyan", type: nil)]
            #expect(try ids(pairs) == ["c1", "a2"])
            pairs.pairs = []
            #expect(try ids(pairs).isEmpty)
            #expect(try store.pending(clientID: "cyan", now: t0).map(\.id) == ["c1"])
            #expect(try store.pending(type: .followUp, minimumPriority: 70, now: t0).map(\.id) == ["a1"])
        }
    }

    @Test("a decided suggestion cannot change again; an unknown one is named", arguments: StoreBackend.allCases)
    func decisions(kind: StoreBackend) async throws {
        try await kind.withWorld(SuggestionWorld.self) { world in
            let store = world.store
            try store.add([suggestion("s1")], now: t0)
            let until = t0.addingTimeInterval(3_600)
            let snoozed = try store.decide(id: "s1") {
                $0.status = .snoozed
                $0.snoozedUntil = until
            }
            #expect(snoozed.snoozedUntil == until)
            let accepted = try store.decide(id: "s1") {
                $0.status = .accepted
                $0.artifact = "task:7"
            }
            #expect(try store.suggestion(id: "s1") == accepted)
            let again = #expect(throws: StoreError.self) { try store.decide(id: "s1") { $0.status = .dismissed } }
            #expect(again?.code == .invalidValue)
            #expect(again?.message == "suggestion s1 is already accepted; only pending or snoozed ones can change")
            let unknown = #expect(throws: StoreError.self) { try store.decide(id: "nope") { $0.status = .dismissed } }
            #expect(unknown?.message == "no suggestion has id 'nope'; `kam suggest list` shows them")
            // A change that throws changes nothing.
            struct Stop: Error {}
            try store.add([suggestion("s2", type: .upsell)], now: t0)
            #expect(throws: Stop.self) {
                try store.decide(id: "s2") {
                    $0.status = .accepted
                    throw Stop()
                }
            }
            #expect(try store.suggestion(id: "s2")?.status == .pending)
            let decided = try await world.kindsAndSubjects().filter {
                $0.hasPrefix("suggestion.") && !$0.hasPrefix("suggestion.created")
            }
            #expect(decided == ["suggestion.snoozed s1", "suggestion.accepted s1"])
        }
    }

    @Test("an accepted suggestion reopens unless another has its place", arguments: StoreBackend.allCases)
    func reopen(kind: StoreBackend) async throws {
        try await kind.withWorld(SuggestionWorld.self) { world in
            let store = world.store
            try store.add([suggestion("s1"), suggestion("s2", type: .upsell)], now: t0)
            let pending = #expect(throws: StoreError.self) { try store.reopen(id: "s1") }
            #expect(pending?.message == "suggestion s1 is not accepted; only an accept can be undone")
            #expect(throws: StoreError.self) { try store.reopen(id: "nope") }
            try store.decide(id: "s1") {
                $0.status = .accepted
                $0.artifact = "task:1"
            }
            #expect(try store.pendingTwin(of: try #require(try store.suggestion(id: "s1"))) == nil)
            let reopened = try store.reopen(id: "s1")
            #expect(reopened.status == .pending)
            #expect(reopened.artifact == nil)
            #expect(try store.suggestion(id: "s1") == reopened)
            try store.decide(id: "s1") { $0.status = .accepted }
            #expect(try store.add([suggestion("s3")], now: t0).map(\.id) == ["s3"])
            #expect(try store.pendingTwin(of: try #require(try store.suggestion(id: "s1"))) == "s3")
            #expect(try store.pendingTwin(of: try #require(try store.suggestion(id: "s3"))) == nil)
            let taken = #expect(throws: StoreError.self) { try store.reopen(id: "s1") }
            #expect(taken?.code == .invalidValue)
            #expect(taken?.message == "suggestion s1 cannot be pending again: another open one has its place")
            #expect(try store.suggestion(id: "s1")?.status == .accepted)
            #expect(try await world.events("suggestion.reopened") == ["s1"])
            // The refused reopening left the store usable.
            #expect(try store.pending(now: t0).map(\.id).sorted() == ["s2", "s3"])
        }
    }

    @Test("open rule suggestions the rules no longer propose are resolved", arguments: StoreBackend.allCases)
    func resolve(kind: StoreBackend) async throws {
        try await kind.withWorld(SuggestionWorld.self) { world in
            let store = world.store
            try store.add(
                [
                    suggestion("r1"), suggestion("r2", type: .escalate, target: "task:4"),
                    suggestion("r3", type: .upsell), suggestion("m1", type: .nextBestAction, source: .model),
                    suggestion("o1", client: "bolt", target: "client:bolt"),
                    suggestion("d1", type: .statusCheck),
                ], now: t0)
            try store.decide(id: "r3") {
                $0.status = .snoozed
                $0.snoozedUntil = self.t0.addingTimeInterval(60)
            }
            try store.decide(id: "d1") { $0.status = .accepted }
            let resolved = try store.resolve(
                clientID: "acme", keeping: [suggestion("r1").dedupKey], reason: "task 4 done by ana")
            #expect(resolved.map(\.id) == ["r2", "r3"])
            #expect(resolved.allSatisfy { $0.status == .resolved && $0.resolution == "task 4 done by ana" })
            #expect(try store.suggestion(id: "r2") == resolved[0])
            #expect(try store.suggestion(id: "r1")?.status == .pending)
            #expect(try store.suggestion(id: "m1")?.status == .pending)
            #expect(try store.suggestion(id: "o1")?.status == .pending)
            #expect(try store.suggestion(id: "d1")?.status == .accepted)
            #expect(try store.resolve(clientID: "acme", keeping: [], reason: "x").map(\.id) == ["r1"])
            #expect(try await world.events("suggestion.resolved") == ["r2", "r3", "r1"])
        }
    }

    @Test(
        "dismissals are kept, listed newest first, and the third 'already done' raises one notice",
        arguments: StoreBackend.allCases)
    func dismissals(kind: StoreBackend) async throws {
        try await kind.withWorld(SuggestionWorld.self) { world in
            let store = world.store
            let targets = ["client:acme", "deal:1", "deal:2", "deal:3"]
            try store.add(targets.enumerated().map { suggestion("s\($0.offset)", target: $0.element) }, now: t0)
            try store.add([suggestion("u1", client: "bolt", type: .upsell, target: "client:bolt")], now: t0)
            let first = try store.dismiss(id: "s0", reason: .alreadyDone, note: nil, userID: "ana", now: t0)
            #expect(first.suggestion.status == .dismissed)
            #expect(first.suggestion.dismissKind == .alreadyDone)
            #expect(first.suggestion.dismissReason == DismissReason.alreadyDone.label)
            #expect(first.dataQualityNotification == nil)
            #expect(try store.suggestion(id: "s0") == first.suggestion)
            let second = try store.dismiss(
                id: "u1", reason: .notRelevant, note: "they bought it", userID: "ana", now: t0.addingTimeInterval(10))
            #expect(second.suggestion.dismissReason == "they bought it")
            #expect(
                try store.dismiss(
                    id: "s1", reason: .alreadyDone, note: nil, userID: nil, now: t0.addingTimeInterval(20)
                )
                .dataQualityNotification == nil)
            let third = try store.dismiss(
                id: "s2", reason: .alreadyDone, note: nil, userID: "ana", now: t0.addingTimeInterval(30))
            #expect(third.dataQualityNotification != nil)
            let fourth = try store.dismiss(
                id: "s3", reason: .alreadyDone, note: nil, userID: "ana", now: t0.addingTimeInterval(40))
            #expect(fourth.dataQualityNotification == nil, "one notice an origin a window")
            #expect(
                try await world.notificationTitles("ana") == [
                    "Data quality: built-in follow-up keeps proposing work already done"
                ])
            #expect(try await world.events("notification.created").count == 1)
            let ana = try store.dismissals(userID: "ana", since: t0)
            #expect(ana.map(\.suggestionID) == ["s3", "s2", "u1", "s0"])
            #expect(
                ana[2]
                    == Dismissal(
                        suggestionID: "u1", userID: "ana", clientID: "bolt", type: .upsell, rule: nil,
                        reason: .notRelevant,
                        note: "they bought it", at: t0.addingTimeInterval(10)))
            #expect(
                try store.dismissals(userID: "ana", since: t0.addingTimeInterval(30)).map(\.suggestionID) == [
                    "s3", "s2",
                ])
            #expect(try store.dismissals(userID: nil, since: t0).map(\.suggestionID) == ["s1"])
            #expect(try store.dismissals(userID: "ben", since: t0).isEmpty)
            let again = #expect(throws: StoreError.self) {
                try store.dismiss(id: "s0", reason: .other, note: nil, userID: "ana", now: t0)
            }
            #expect(again?.message == "suggestion s0 is already dismissed; only pending or snoozed ones can change")
            #expect(try store.dismissals(userID: "ana", since: t0).count == 4, "a refused dismissal keeps nothing")
            #expect(try await world.events("suggestion.dismissed") == ["s0", "u1", "s1", "s2", "s3"])
        }
    }

    @Test("feedback is recorded with its event and read oldest first", arguments: StoreBackend.allCases)
    func feedback(kind: StoreBackend) async throws {
        try await kind.withWorld(SuggestionWorld.self) { world in
            let store = world.store
            try store.add([suggestion("s1"), suggestion("s2", type: .upsell)], now: t0)
            let late = FeedbackEntry(rating: .down, reason: "wrong client", user: "ana", at: t0.addingTimeInterval(60))
            let early = FeedbackEntry(rating: .up, reason: nil, user: nil, at: t0)
            let tie = FeedbackEntry(rating: .up, reason: "again", user: "ben", at: t0.addingTimeInterval(60))
            try store.addFeedback(suggestionID: "s1", late)
            try store.addFeedback(suggestionID: "s1", early)
            try store.addFeedback(suggestionID: "s1", tie)
            #expect(try store.feedback(suggestionID: "s1") == [early, late, tie])
            #expect(try store.feedback(suggestionID: "s2").isEmpty)
            let unknown = #expect(throws: StoreError.self) { try store.addFeedback(suggestionID: "nope", early) }
            #expect(unknown?.code == .invalidValue)
            #expect(try await world.events("feedback.recorded") == ["s1", "s1", "s1"])
        }
    }

    @Test("two processes storing the same suggestion at once store one", arguments: StoreBackend.allCases)
    func concurrentPasses(kind: StoreBackend) async throws {
        try await kind.withWorld(SuggestionWorld.self) { world in
            for round in 0..<5 {
                let target = "deal:\(round)"
                let stored = Mutex<[String]>([])
                let failures = Mutex<[String]>([])
                let stores = world.stores
                let proposed = (0..<8).map { suggestion("r\(round)-\($0)", target: target) }
                _ = await OnThreads.values(8) { index in
                    do {
                        let added = try stores[index % 2].add([proposed[index]], now: SuggestionWorld.start)
                        stored.withLock { $0 += added.map(\.id) }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
                #expect(failures.withLock { $0 }.isEmpty)
                #expect(stored.withLock { $0.count } == 1)
                let open = try world.store.page(SuggestionFilter(), limit: 100, now: t0).filter { $0.target == target }
                #expect(open.map(\.id) == stored.withLock { $0 })
            }
            #expect(try await world.events("suggestion.created").count == 5)
        }
    }

    @Test(
        "of an accept and a dismissal racing from two processes exactly one wins",
        arguments: StoreBackend.allCases)
    func racingDecisions(kind: StoreBackend) async throws {
        try await kind.withWorld(SuggestionWorld.self) { world in
            let rounds = 12
            try world.store.add((0..<rounds).map { suggestion("s\($0)", target: "deal:\($0)") }, now: t0)
            let stores = world.stores
            var accepted = 0
            for round in 0..<rounds {
                let id = "s\(round)"
                let outcomes = Mutex<[String]>([])
                _ = await OnThreads.values(2) { index in
                    let outcome: String
                    do {
                        if index == 0 {
                            try stores[0].decide(id: id) {
                                $0.status = .accepted
                                $0.artifact = "task:\(round)"
                            }
                            outcome = "accepted"
                        } else {
                            _ = try stores[1].dismiss(
                                id: id, reason: .notRelevant, note: nil, userID: "ana", now: SuggestionWorld.start)
                            outcome = "dismissed"
                        }
                    } catch let error as StoreError
                        where error.code == .invalidValue && error.message.contains("is already")
                    {
                        outcome = "refused"
                    } catch {
                        outcome = "failed: \(error)"
                    }
                    outcomes.withLock { $0.append(outcome) }
                }
                let seen = outcomes.withLock { $0 }
                #expect(seen.filter { $0 == "refused" }.count == 1, "\(id): \(seen)")
                let winner = try #require(seen.first { $0 != "refused" })
                #expect(try world.store.suggestion(id: id)?.status.rawValue == winner)
                if winner == "accepted" { accepted += 1 }
            }
            // One decision event a suggestion: the refused one wrote nothing.
            let decided = try await world.events("suggestion.accepted") + world.events("suggestion.dismissed")
            #expect(decided.count == rounds, "\(decided)")
            #expect(Set(decided).count == rounds)
            #expect(try world.store.dismissals(userID: "ana", since: t0).count == rounds - accepted)
        }
    }
}
