import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

/// A client's message that names a competitor: the write's refresh proposes a competitor-mention suggestion quoting it,
/// and the shipped rule competitor-mention-alert puts a notification in the owner's inbox.
@Suite("Competitor mentions and objections, end to end")
struct ObjectionAlertTests {
    @Test("a logged inbound email naming a configured competitor notifies the owner; a price objection is an objection")
    func competitorMention() async throws {
        var rules = RuleThresholds()
        rules.competitors = ["Initrode"]
        let world = try await CRMTestWorld.demo(rules: rules)
        try await world.runtime.rules.catchUp()  // the demo's own events first
        _ = try world.runtime.activities.log(
            .init(clientID: "acme", kind: .email, direction: .inbound, summary: "Initrode offered us the same line for less."),
            as: .anonymous)
        _ = try world.runtime.activities.log(
            .init(clientID: "globex", kind: .email, direction: .inbound, summary: "Honestly the renewal is over our budget."),
            as: .anonymous)
        try await world.runtime.rules.catchUp()
        let acme = try world.runtime.suggestions.list(clientID: "acme", as: .anonymous).filter { $0.type == .competitorMention }
        #expect(acme.count == 1)
        #expect(acme.first?.reasoning.contains("competitor: \"Initrode\"") == true)
        let globex = try world.runtime.suggestions.list(clientID: "globex", as: .anonymous)
        #expect(globex.contains { $0.type == .objection && $0.reasoning.contains("over our budget") })
        let inbox = try world.runtime.inbox.list(of: "maria", as: .anonymous)
        #expect(inbox.filter { $0.title == "Acme Manufacturing mentioned a competitor" }.count == 1)
        #expect(try world.runtime.inbox.list(of: "tom", as: .anonymous).allSatisfy { !$0.title.contains("competitor") })
    }

    @Test("an ingested email's objections and competitors from the analysis prompt join the phrase list's, each with its source")
    func modelFindings() async throws {
        let runtime = try await DraftServiceTests.runtime()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        let message = """
            From: jane.smith@acme.example
            To: maria.lopez@kam.example
            Subject: Renewal
            Message-ID: <objections-1@acme.example>
            Date: \(formatter.string(from: DraftServiceTests.now.addingTimeInterval(-86_400)))

            Honestly the renewal is too expensive. We are thinking of switching to Initrode.
            """
        let report = try await runtime.email.ingest(.bytes(Array(message.utf8)), as: .anonymous)
        #expect(report.results.first?.status == "new")
        _ = try await runtime.suggestions.run(clientIDs: ["acme"], modelSuggestions: false, as: .anonymous)
        let mention = try #require(
            try runtime.suggestions.list(clientID: "acme", as: .anonymous).first { $0.type == .competitorMention })
        #expect(mention.reasoning.contains(#"price: "too expensive" (phrase-list, model)"#), "\(mention.reasoning)")
        #expect(mention.reasoning.contains(#"competitor: "switching to" (phrase-list)"#), "\(mention.reasoning)")
        #expect(mention.reasoning.contains(#"competitor: "Initrode" (model)"#), "only the model names it: \(mention.reasoning)")
        #expect(mention.title == "Answer the price and competitor objection from Acme Manufacturing")
    }
}
