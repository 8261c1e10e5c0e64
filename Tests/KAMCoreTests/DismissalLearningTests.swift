import Foundation
import Testing

@testable import KAMCore

/// What dismissals teach a person's suggestion list: each kind's points and half-life, only the same client and rule,
/// the cap and the floor, the order, and the data-quality notice after repeated "already done".
@Suite struct DismissalLearningTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static func suggestion(
        _ id: String, client: String = "acme", type: SuggestionType = .followUp, rule: String? = nil, priority: Int,
        created: TimeInterval = 0
    ) -> Suggestion {
        Suggestion(
            id: id, clientID: client, type: type, target: "client:\(client)", title: id, reasoning: "",
            evidence: rule.map { [Evidence(kind: "rule", id: $0, summary: "")] } ?? [], priority: priority,
            action: .task(title: id, dueInDays: 1, priority: .high), createdAt: now.addingTimeInterval(created),
            expiresAt: now.addingTimeInterval(86_400 * 14))
    }

    static func dismissal(
        _ reason: DismissReason, client: String = "acme", type: SuggestionType = .followUp, rule: String? = nil,
        daysAgo: Double, id: String = "old"
    ) -> Dismissal {
        Dismissal(
            suggestionID: id, userID: "maria", clientID: client, type: type, rule: rule, reason: reason, note: nil,
            at: now.addingTimeInterval(-daysAgo * 86_400))
    }

    @Test("each kind takes its points the day it is made and half of them after its half-life", arguments: DismissReason.allCases)
    func pointsHalveAfterTheHalfLife(reason: DismissReason) {
        for (days, expected) in [(0.0, reason.penalty), (reason.halfLifeDays, reason.penalty / 2), (reason.halfLifeDays * 2, reason.penalty / 4)] {
            let learning = DismissalLearning(dismissals: [Self.dismissal(reason, daysAgo: days)], now: Self.now)
            let adjusted = learning.adjusted(Self.suggestion("s", priority: 90))
            #expect(adjusted.priority == 90 - Int(expected.rounded()), "\(reason) after \(days) days")
            #expect(adjusted.priorityChange?.base == 90)
            #expect(adjusted.priorityChange?.change == adjusted.priority - 90)
            #expect(adjusted.priorityChange?.reasons.first?.contains("dismissed as \(reason.label)") == true)
        }
    }

    @Test func onlyTheSameClientAndRuleChange() {
        let learning = DismissalLearning(
            dismissals: [
                Self.dismissal(.notRelevant, daysAgo: 1), Self.dismissal(.wrongClient, rule: "health-intervention", daysAgo: 1),
            ],
            now: Self.now)
        // Same client, same built-in type: lowered by "not relevant" only.
        #expect(learning.adjusted(Self.suggestion("a", priority: 70)).priority < 70)
        #expect(learning.adjusted(Self.suggestion("a", priority: 70)).priorityChange?.reasons.count == 1)
        // Another client, another type, the same type from a rules-engine rule: unchanged, no explanation.
        for other in [
            Self.suggestion("b", client: "globex", priority: 70), Self.suggestion("c", type: .upsell, priority: 70),
            Self.suggestion("d", rule: "renewal-risk", priority: 70),
        ] {
            let adjusted = learning.adjusted(other)
            #expect(adjusted.priority == 70 && adjusted.priorityChange == nil, "\(other.id)")
        }
        // The rule's own suggestion (of any type) for acme: lowered by "wrong client".
        let ruled = learning.adjusted(Self.suggestion("e", type: .intervention, rule: "health-intervention", priority: 70))
        #expect(ruled.priority == 30)
        // Where a store must look: acme's built-in follow-ups, and any of acme's suggestions (the rule may propose any type).
        #expect(learning.affected == [ClientAndType(clientID: "acme", type: .followUp), ClientAndType(clientID: "acme", type: nil)])
    }

    @Test func pointsAddUpToTheCapAndPriorityStopsAtZero() {
        let many = (0..<6).map { Self.dismissal(.wrongClient, daysAgo: 0, id: "d\($0)") }
        let learning = DismissalLearning(dismissals: many, now: Self.now)
        #expect(learning.adjusted(Self.suggestion("s", priority: 100)).priority == 100 - Int(DismissalLearning.maxPenalty))
        #expect(learning.adjusted(Self.suggestion("s", priority: 30)).priority == 0)
        #expect(learning.adjusted(Self.suggestion("s", priority: 30)).priorityChange?.reasons.count == 6)
        // Adjusting twice changes nothing more.
        let once = learning.adjusted(Self.suggestion("s", priority: 100))
        #expect(learning.adjusted(once) == once)
    }

    @Test func aYearOldDismissalNoLongerCounts() {
        for reason in DismissReason.allCases {
            let learning = DismissalLearning(
                dismissals: [Self.dismissal(reason, daysAgo: Double(DismissalLearning.memoryDays))], now: Self.now)
            #expect(learning.adjusted(Self.suggestion("s", priority: 50)).priorityChange == nil, "\(reason)")
            #expect(learning.affected.isEmpty)
        }
    }

    @Test("ranked: by adjusted priority, then oldest, then id, as the store orders them")
    func rankedOrder() {
        let learning = DismissalLearning(dismissals: [Self.dismissal(.notRelevant, daysAgo: 0)], now: Self.now)
        let ranked = learning.ranked([
            Self.suggestion("top", priority: 90), Self.suggestion("z", client: "globex", priority: 60, created: 10),
            Self.suggestion("a", client: "globex", priority: 60, created: 10),
            Self.suggestion("older", client: "initech", priority: 60, created: 0),
            Self.suggestion("low", client: "globex", type: .upsell, priority: 65),
        ])
        // acme's follow-up (90) loses 30 and ranks among the 60s: the oldest first, then by id.
        #expect(ranked.map(\.id) == ["low", "older", "top", "a", "z"])
        #expect(ranked.map(\.priority) == [65, 60, 60, 60, 60])
    }

    @Test func theThirdAlreadyDoneOnARuleWithinThirtyDaysIsADataQualityNotice() throws {
        let latest = Self.dismissal(.alreadyDone, client: "initech", daysAgo: 0, id: "s3")
        let two = [
            Self.dismissal(.alreadyDone, client: "acme", daysAgo: 10, id: "s1"),
            Self.dismissal(.alreadyDone, client: "globex", daysAgo: 29, id: "s2"),
        ]
        let notice = try #require(DismissalLearning.dataQuality(after: latest, recent: two + [latest]))
        #expect(notice.title == "Data quality: built-in follow-up keeps proposing work already done")
        #expect(notice.body.hasPrefix("3 suggestions from built-in follow-up were dismissed as already done"))
        #expect(notice.body.contains("acme, globex, initech"))
        // Two are not enough; one outside the window, another rule's, or another kind do not count.
        #expect(DismissalLearning.dataQuality(after: latest, recent: [two[0], latest]) == nil)
        for other in [
            Self.dismissal(.alreadyDone, client: "globex", daysAgo: 31, id: "s2"),
            Self.dismissal(.alreadyDone, client: "globex", rule: "check-in", daysAgo: 2, id: "s2"),
            Self.dismissal(.alreadyDone, client: "globex", type: .upsell, daysAgo: 2, id: "s2"),
            Self.dismissal(.notRelevant, client: "globex", daysAgo: 2, id: "s2"),
        ] {
            #expect(DismissalLearning.dataQuality(after: latest, recent: [two[0], other, latest]) == nil, "\(other)")
        }
        // Only "already done" raises it.
        let notRelevant = Self.dismissal(.notRelevant, daysAgo: 0, id: "s4")
        #expect(DismissalLearning.dataQuality(after: notRelevant, recent: two + [latest, notRelevant]) == nil)
    }

    @Test func reasonsAreReadFromTheirNamesOrLabels() {
        for reason in DismissReason.allCases {
            #expect(DismissReason(text: reason.rawValue) == reason)
            #expect(DismissReason(text: " \(reason.label.uppercased()) ") == reason)
            #expect(DismissReason(text: reason.rawValue.replacingOccurrences(of: "-", with: "_")) == reason)
        }
        #expect(DismissReason(text: "we called them on Tuesday") == nil)
    }
}
