import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

/// Dismissals that teach, through the runtime: the dismisser's list ranks the same rule's next suggestion for that
/// client lower and says why (nobody else's list changes); pages agree with the whole list; the third "already done"
/// on a rule within 30 days is one data-quality notice; acceptance per rule with the dismissals by kind.
@Suite struct DismissalLearningServiceTests {
    typealias World = CRMTestWorld
    static let maria = ActingUser("maria")
    static let tom = ActingUser("tom")

    /// Every demo client's rules run, as `kam suggest run --all` does.
    static func suggestAll(_ world: World) async throws {
        _ = try await world.runtime.suggestions.run(clientIDs: nil, modelSuggestions: false, as: .anonymous)
    }

    @Test func theDismissersListRanksTheRulesNextSuggestionLowerAndSaysWhy() async throws {
        let world = try await World.demo()
        try await Self.suggestAll(world)
        let first = try #require(try world.runtime.suggestions.list(as: Self.maria).first)
        let dismissed = try world.runtime.suggestions.dismiss(first.id, kind: .notRelevant, note: "we meet weekly", as: Self.maria)
        #expect(dismissed.suggestion.status == .dismissed)
        #expect(dismissed.suggestion.dismissKind == .notRelevant)
        #expect(dismissed.suggestion.dismissReason == "we meet weekly")
        #expect(dismissed.dataQualityNotification == nil)

        // The rules propose the same again (the dismissed one no longer blocks it): a new suggestion, same rule and client.
        world.suggest(first.clientID)
        let again = try #require(
            try world.runtime.suggestions.list(clientID: first.clientID, as: .anonymous).first {
                $0.origin == first.origin && $0.id != first.id
            })
        #expect(again.priority == first.priority)
        #expect(again.priorityChange == nil)  // someone else's list: as the rule gave it

        let marias = try #require(try world.runtime.suggestions.list(as: Self.maria).first { $0.id == again.id })
        #expect(marias.priority == max(0, first.priority - 30))
        #expect(marias.priorityChange?.base == first.priority)
        #expect(marias.priorityChange?.reasons == ["-30: dismissed as not relevant today (\(first.id))"])
        // Tom manages the team and sees the client: his list is unchanged.
        if let toms = try world.runtime.suggestions.list(as: Self.tom).first(where: { $0.id == again.id }) {
            #expect(toms.priority == first.priority && toms.priorityChange == nil)
        }

        // Ten days later (before it expires) the penalty has faded: 30 × 0.5^(10/30) ≈ 24 points.
        world.clock.advance(days: 10)
        let later = try #require(try world.runtime.suggestions.list(as: Self.maria).first { $0.id == again.id })
        #expect(later.priority == max(0, first.priority - 24))
        #expect(later.priorityChange?.reasons == ["-24: dismissed as not relevant 10 days ago (\(first.id))"])
    }

    @Test func pagesAgreeWithTheWholeListAfterManyDismissals() async throws {
        let world = try await World.demo()
        try await Self.suggestAll(world)
        var generator = SystemRandomNumberGenerator()
        // Dismiss a third of the open suggestions with random kinds, then let the rules propose them again.
        let open = try world.runtime.suggestions.list(as: Self.maria)
        try #require(open.count >= 6)
        for (index, suggestion) in open.enumerated() where index % 3 == 0 {
            let kind = DismissReason.allCases.randomElement(using: &generator)!
            _ = try world.runtime.suggestions.dismiss(suggestion.id, kind: kind, note: nil, as: Self.maria)
        }
        try await Self.suggestAll(world)
        let whole = try world.runtime.suggestions.list(as: Self.maria)
        #expect(whole.contains { $0.priorityChange != nil })
        #expect(zip(whole, whole.dropFirst()).allSatisfy { $0.priority >= $1.priority })
        for limit in [1, 2, 3, 5] {
            var paged: [Suggestion] = []
            var request = PageRequest(limit: limit)
            while true {
                let page = try world.runtime.suggestions.page(SuggestionFilter(), request, as: Self.maria)
                paged += page.items
                guard let next = page.next else { break }
                request = try PageRequest(limit: limit, cursor: next)
            }
            #expect(paged.map(\.id) == whole.map(\.id), "pages of \(limit)")
            #expect(paged.map(\.priority) == whole.map(\.priority), "pages of \(limit)")
        }
        // A minimum priority applies to the lowered priority.
        let changed = try #require(whole.first { $0.priorityChange != nil })
        let above = try world.runtime.suggestions.page(
            SuggestionFilter(minimumPriority: changed.priority + 1), PageRequest(limit: 500), as: Self.maria)
        #expect(!above.items.contains { $0.id == changed.id })
    }

    @Test func theThirdAlreadyDoneOnARuleWithinThirtyDaysIsOneDataQualityNotice() async throws {
        let world = try await World.demo()
        try await Self.suggestAll(world)
        let inbox = NotificationRepository(store: world.runtime.sqliteStore!)
        // The rule with the most open suggestions; three of them dismissed as already done a day apart.
        let open = try world.runtime.suggestions.list(as: Self.maria)
        let origin = try #require(Dictionary(grouping: open, by: \.origin).max { $0.value.count < $1.value.count })
        try #require(origin.value.count >= 3)
        var notices: [Int64?] = []
        for suggestion in origin.value.prefix(3) {
            notices.append(
                try world.runtime.suggestions.dismiss(suggestion.id, kind: .alreadyDone, note: nil, as: Self.maria)
                    .dataQualityNotification)
            world.clock.advance(days: 1)
        }
        #expect(notices[0] == nil && notices[1] == nil && notices[2] != nil)
        // The rules propose them again; a fourth "already done" within the window raises no second notice.
        try await Self.suggestAll(world)
        let fourth = try #require(try world.runtime.suggestions.list(as: Self.maria).first { $0.origin == origin.key })
        #expect(try world.runtime.suggestions.dismiss(fourth.id, kind: .alreadyDone, note: nil, as: Self.maria)
            .dataQualityNotification == nil)
        let notes = try inbox.inbox(userID: "maria").filter { $0.rule == DismissalLearning.dataQualityRule }
        #expect(notes.count == 1)
        #expect(notes.first?.title.contains(origin.key) == true)
        #expect(notes.first?.body.contains(origin.value[0].clientID) == true)
        // Another person's "already done" dismissals count toward the rule, but the notice goes to whoever dismissed.
        #expect(try inbox.inbox(userID: "tom").filter { $0.rule == DismissalLearning.dataQualityRule }.isEmpty)
    }

    @Test func freeWordsAreAnOtherDismissalAndABlankReasonIsRefused() async throws {
        let world = try await World.demo()
        try await Self.suggestAll(world)
        let open = try world.runtime.suggestions.list(as: Self.maria)
        let words = try world.runtime.suggestions.dismiss(open[0].id, reason: "the client is moving offices", as: Self.maria)
        #expect(words.dismissKind == .other && words.dismissReason == "the client is moving offices")
        let kind = try world.runtime.suggestions.dismiss(open[1].id, reason: "Wrong timing", as: Self.maria)
        #expect(kind.dismissKind == .wrongTiming && kind.dismissReason == "wrong timing")
        #expect(throws: RuntimeError.self) { try world.runtime.suggestions.dismiss(open[2].id, reason: "  ", as: Self.maria) }
    }

    @Test func acceptancePerRuleCountsTheDismissalsByKind() async throws {
        let world = try await World.demo()
        try await Self.suggestAll(world)
        let open = try world.runtime.suggestions.list(as: Self.maria)
        let target = try #require(open.first)
        let same = open.filter { $0.origin == target.origin }
        try #require(same.count >= 1)
        _ = try world.runtime.suggestions.dismiss(same[0].id, kind: .alreadyDone, note: nil, as: Self.maria)
        if same.count > 1 { _ = try await world.runtime.suggestions.accept(same[1].id, as: Self.maria) }
        let lines = try world.runtime.analytics.suggestionsByRule(as: Self.maria)
        let line = try #require(lines.first { $0.type == target.origin })
        #expect(line.suggestions == same.count)
        #expect(line.statuses["dismissed"] == 1)
        #expect(line.dismissKinds?["already-done"] == 1)
        #expect(line.dismissKinds?["unrecorded"] == 0)
        #expect(line.acceptanceRate == (same.count > 1 ? 0.5 : 0))
        #expect(Set(lines.map(\.type)).count == lines.count)
        #expect(lines.reduce(0) { $0 + $1.suggestions } == (try world.runtime.analytics.suggestions(as: Self.maria)).reduce(0) { $0 + $1.suggestions })
        #expect(throws: (any Error).self) { try world.runtime.analytics.suggestionsByRule(as: ActingUser("leo")) }
    }
}
