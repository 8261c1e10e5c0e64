import Foundation
import KAMCore
import KAMStore
import Testing

@Suite struct SuggestionRepositoryTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func makeRepo() throws -> (ClientStore, SuggestionRepository) {
        let store = try ClientStore.inMemory()
        _ = try store.upsertClient(Client(id: "acme", name: "Acme", leadStatus: .new, createdAt: t0))
        return (store, SuggestionRepository(store: store))
    }

    func suggestion(_ id: String, type: SuggestionType = .followUp, target: String = "client:acme", days: Double = 14)
        -> Suggestion
    {
        Suggestion(
            id: id, clientID: "acme", type: type, target: target, title: "t", reasoning: "r", evidence: [],
            priority: 50, action: .task(title: "x", dueInDays: 1, priority: .high), createdAt: t0,
            expiresAt: t0.addingTimeInterval(days * 86_400))
    }

    @Test func noDuplicatePendingSuggestion() throws {
        let (_, repo) = try makeRepo()
        #expect(try repo.add([suggestion("s1")], now: t0).count == 1)
        #expect(try repo.add([suggestion("s2")], now: t0).isEmpty)
        #expect(try repo.add([suggestion("s3", type: .upsell)], now: t0).count == 1)
        #expect(try repo.pending(now: t0).count == 2)
        try repo.decide(id: "s1") { $0.status = .dismissed }
        #expect(try repo.add([suggestion("s4")], now: t0).count == 1)
    }

    @Test func expiredSuggestionsStopBlocking() throws {
        let (_, repo) = try makeRepo()
        try repo.add([suggestion("s1", days: 1)], now: t0)
        let later = t0.addingTimeInterval(2 * 86_400)
        #expect(try repo.pending(now: later).isEmpty)
        #expect(try repo.add([suggestion("s2")], now: later).count == 1)
        #expect(try repo.suggestion(id: "s1")?.status == .expired)
    }

    @Test func listingLeavesOutExpiredSuggestionsWithoutWritingThem() throws {
        let (_, repo) = try makeRepo()
        try repo.add([suggestion("s1", days: 1), suggestion("s2", type: .upsell, days: 5)], now: t0)
        let later = t0.addingTimeInterval(2 * 86_400)
        #expect(try repo.pending(now: later).map(\.id) == ["s2"])
        // A list is a read: s1 is still stored pending, and a list of expired ones shows it expired.
        #expect(try repo.suggestion(id: "s1")?.status == .pending)
        let expired = try repo.page(SuggestionFilter(status: .expired), limit: 10, now: later)
        #expect(expired.map(\.id) == ["s1"])
        #expect(expired.map(\.status) == [.expired])
        #expect(try repo.page(SuggestionFilter(status: .expired), limit: 10, now: t0).isEmpty)
        try repo.expirePending(now: later)
        #expect(try repo.suggestion(id: "s1")?.status == .expired)
        #expect(try repo.page(SuggestionFilter(status: .expired), limit: 10, now: later).map(\.id) == ["s1"])
    }

    @Test func pagesFollowPriorityThenAgeThenIDAcrossPendingAndDueSnoozed() throws {
        let (_, repo) = try makeRepo()
        var all: [Suggestion] = []
        for index in 0..<40 {
            var s = suggestion(String(format: "s%02d", index), target: "t\(index)")
            s.priority = [90, 50, 50, 10][index % 4]
            s.createdAt = t0.addingTimeInterval(Double(index % 3) * 60)
            all.append(s)
        }
        try repo.add(all, now: t0)
        // Every fifth is snoozed: until a time already come (listed) or still ahead (not listed).
        for index in stride(from: 0, to: 40, by: 5) {
            let until = t0.addingTimeInterval(index % 10 == 0 ? -60 : 3_600)
            try repo.decide(id: all[index].id) {
                $0.status = .snoozed
                $0.snoozedUntil = until
            }
        }
        let open = all.enumerated().filter { $0.offset % 5 != 0 || $0.offset % 10 == 0 }.map(\.element)
        let expected = open.sorted { ($0.priority, $1.createdAt, $1.id) > ($1.priority, $0.createdAt, $0.id) }.map(\.id)
        var paged: [String] = []
        for offset in stride(from: 0, to: 40, by: 7) {
            paged += try repo.page(SuggestionFilter(), offset: offset, limit: 7, now: t0).map(\.id)
        }
        #expect(paged == expected)
        #expect(try repo.page(SuggestionFilter(minimumPriority: 50), limit: 100, now: t0).allSatisfy { $0.priority >= 50 })
    }

    @Test func decidedSuggestionCannotChangeAgain() throws {
        let (_, repo) = try makeRepo()
        try repo.add([suggestion("s1")], now: t0)
        try repo.decide(id: "s1") { $0.status = .accepted }
        #expect(throws: StoreError.self) { try repo.decide(id: "s1") { $0.status = .dismissed } }
    }

    @Test func anAcceptedSuggestionReopensUnlessAnotherHasItsPlace() throws {
        let (_, repo) = try makeRepo()
        try repo.add([suggestion("s1"), suggestion("s2", type: .upsell)], now: t0)
        #expect(throws: StoreError.self) { try repo.reopen(id: "s1") }  // pending, not accepted
        try repo.decide(id: "s1") {
            $0.status = .accepted
            $0.artifact = "task:1"
        }
        #expect(try repo.pendingTwin(of: try #require(try repo.suggestion(id: "s1"))) == nil)
        let reopened = try repo.reopen(id: "s1")
        #expect(reopened.status == .pending)
        #expect(reopened.artifact == nil)
        #expect(try repo.suggestion(id: "s1") == reopened)
        // Accepted again, and the rules propose the same: s3 has its place, so s1 stays accepted.
        try repo.decide(id: "s1") { $0.status = .accepted }
        #expect(try repo.add([suggestion("s3")], now: t0).count == 1)
        #expect(try repo.pendingTwin(of: try #require(try repo.suggestion(id: "s1"))) == "s3")
        #expect(throws: StoreError.self) { try repo.reopen(id: "s1") }
        #expect(try repo.suggestion(id: "s1")?.status == .accepted)
    }

    @Test func leadTransitionsAreKeptAndChecked() throws {
        let (store, _) = try makeRepo()
        let health = HealthRepository(store: store)
        try health.apply(LeadTransition(clientID: "acme", from: .new, to: .contacted, automatic: true, reason: "first activity", at: t0))
        #expect(throws: StoreError.self) {
            try health.apply(LeadTransition(clientID: "acme", from: .new, to: .qualified, automatic: true, reason: "x", at: t0))
        }
        #expect(try health.transitions(clientID: "acme").map(\.to) == [.contacted])
        try health.record(HealthScore(clientID: "acme", score: 72, factors: [], computedAt: t0))
        try health.record(HealthScore(clientID: "acme", score: 55, factors: [], computedAt: t0.addingTimeInterval(86_400)))
        #expect(try health.history(clientID: "acme").map(\.score) == [55, 72])
    }
}
