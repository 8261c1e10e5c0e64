import Foundation
import Testing

@testable import KAMCore

@Suite("Objections and competitor mentions in what clients write")
struct ObjectionDetectorTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test("each kind is found by whole words, quoting the client's words; a configured competitor comes first", arguments: [
        ("Honestly it is too expensive; Globex CRM quoted less.", ["price: too expensive", "competitor: Globex CRM"]),
        ("An inexpensive fix, thanks!", []),
        ("Let's revisit next quarter once the board signs off.", ["timing: next quarter", "authority: the board"]),
        ("We are talking to another vendor.", ["competitor: another vendor"]),
        ("I need approval from my manager before we sign.", ["authority: need approval"]),
        ("Great call, see you Tuesday.", []),
    ])
    func findings(text: String, expected: [String]) {
        let found = ObjectionDetector(competitors: ["Globex CRM"]).findings(in: text).map { "\($0.kind.rawValue): \($0.phrase)" }
        #expect(found == expected)
    }

    @Test("an inbound message with an objection becomes a suggestion whose action drafts the answer; outbound and old ones do not")
    func suggestion() {
        let client = Client(id: "acme", name: "Acme", createdAt: Self.now)
        func activity(_ id: Int64, _ body: String, daysAgo: Double, direction: ActivityDirection = .inbound) -> Activity {
            Activity(
                id: id, clientID: "acme", kind: .email, direction: direction,
                occurredAt: Self.now.addingTimeInterval(-daysAgo * 86_400), subject: "Proposal", body: body)
        }
        let snapshot = ClientSnapshot(
            client: client,
            activities: [
                activity(1, "This is over our budget and Globex CRM is cheaper.", daysAgo: 2),
                activity(2, "It is too expensive for us.", daysAgo: 2, direction: .outbound),
                activity(3, "Too expensive.", daysAgo: 40),
            ], lastInteractionAt: Self.now)
        var rules = RuleThresholds()
        rules.competitors = ["Globex CRM"]
        let health = HealthScorer(rules: rules).score(snapshot, at: Self.now)
        let lead = LeadScorer().score(snapshot, at: Self.now)
        var n = 0
        let suggestions = SuggestionRules(rules: rules).evaluate(snapshot, health: health, lead: lead, at: Self.now) {
            n += 1
            return "s\(n)"
        }
        let objections = suggestions.filter { $0.target.hasPrefix("activity:") }
        #expect(objections.count == 1)
        let objection = objections[0]
        #expect(objection.target == "activity:1" && objection.type == .competitorMention)
        #expect(objection.title == "Answer the price and competitor objection from Acme")
        #expect(objection.reasoning.contains("price: \"over our budget\"") && objection.reasoning.contains("competitor: \"Globex CRM\""))
        guard case .draft(let kind, let hint) = objection.action else {
            Issue.record("the action must be a reply draft")
            return
        }
        #expect(kind == .followUp && hint.contains("over our budget"))
    }

    @Test("the model's findings are merged with the phrase list's, each with its sources; words the text lacks are dropped")
    func merged() {
        let text = "Honestly it is too expensive, and Initrode quoted less than another vendor."
        let model = [
            ObjectionDetector.Finding(kind: .competitor, phrase: "Initrode", sources: [.model]),
            ObjectionDetector.Finding(kind: .price, phrase: "Too  Expensive", sources: [.model]),
            ObjectionDetector.Finding(kind: .authority, phrase: "the board", sources: [.model]),
        ]
        let found = ObjectionDetector().findings(in: text, model: model).map {
            "\($0.kind.rawValue): \($0.phrase) (\($0.sources.map(\.rawValue).joined(separator: ", ")))"
        }
        #expect(
            found == [
                "price: too expensive (phrase-list, model)", "competitor: another vendor (phrase-list)", "competitor: Initrode (model)",
            ])
        #expect(ObjectionDetector().findings(in: text, model: []) == ObjectionDetector().findings(in: text))
    }

    @Test("rules.competitors is read from kam.yaml")
    func configuration() throws {
        let configuration = try KAMConfiguration.parse("rules:\n  competitors: [Globex CRM, Initrode]\n", file: "kam.yaml")
        #expect(configuration.rules.competitors == ["Globex CRM", "Initrode"])
    }
}
