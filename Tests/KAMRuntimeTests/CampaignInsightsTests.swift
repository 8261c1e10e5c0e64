import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

/// `kam campaigns insights`: the prompt's input is the campaign's counts and its segments' (by client tier), counted
/// by hand, with no address or client name; the shipped prompt answers offline with a schema-valid, typed answer.
@Suite struct CampaignInsightsTests {
    static func runtime() async throws -> Runtime {
        let store = try ClientStore.inMemory(now: { CRMTestWorld.start })
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: .embeddedDefaults,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { CRMTestWorld.start }, ids: .sequential()),
            store: store)
        _ = try runtime.imports.importFile(
            ConnectorImportTests.request("hubspot", ConnectorImportTests.fixtures.appendingPathComponent("hubspot").path), as: .anonymous)
        return runtime
    }

    @Test func theInputIsTheCampaignsAndItsSegmentsCountsAndTheOfflineAnswerIsTyped() async throws {
        let runtime = try await Self.runtime()
        let summary = try runtime.campaigns.importFile(path: CampaignImportTests.mailchimp, vendor: .mailchimp, as: .anonymous)
        let october = summary.campaigns[0].id
        let input = try runtime.campaigns.insightsInput(october, as: .anonymous)
        #expect(input.previous == nil)
        #expect(input.segments.map(\.name) == ["standard clients", "no client"])
        let variables = input.variables
        #expect(variables["campaign"] == "October Newsletter, sent 2025-10-07 from mailchimp, subject \"What's new in October\", audience Customers")
        // priya, lars, chris, hanna (bounced), mark (unsubscribed) are the three standard clients'; jo and ops no client's.
        #expect(
            variables["segments"] == """
                - standard clients: sends 5, delivered 4 (bounce rate 20.0%), opened 4 (100.0%), clicked 2 (50.0%), replied 0 (0.0%), unsubscribed 1 (25.0%)
                - no client: sends 2, delivered 2 (bounce rate 0.0%), opened 1 (50.0%), clicked 0 (0.0%), replied 0 (0.0%), unsubscribed 0 (0.0%)
                """)
        #expect(variables["figures"]?.hasPrefix("sends 7, delivered 6 (bounce rate 14.3%), opened 5 (83.3%), clicked 2 (33.3%)") == true)
        #expect(variables["figures"]?.contains("links clicked: https://kam.example/blog/q4 (2), https://kam.example/pricing (1)") == true)
        let text = variables.values.joined(separator: "\n")
        for secret in ["priya", "nimbus", "Nimbus", "gmail", "Orbit"] { #expect(!text.contains(secret), "\(secret) left the store") }

        let run = try await runtime.campaigns.insights(october, as: .anonymous)
        #expect(run.campaignID == october && run.prompt.hasPrefix("analysis.campaign-insights@") && run.isOffline)
        let insights = run.output
        #expect(!insights.summary.isEmpty)
        #expect(insights.segments.count <= 8 && insights.recommendations.count <= 4)
        #expect(throws: RuntimeError.self) { try runtime.campaigns.insightsInput(999, as: .anonymous) }
    }

    @Test func theSegmentsAreTheRecipientsByClientTierAndAMissingCampaignIsNotFound() async throws {
        let runtime = try await Self.runtime()
        let october = try runtime.campaigns.importFile(path: CampaignImportTests.mailchimp, vendor: .mailchimp, as: .anonymous)
            .campaigns[0].id
        let segments = try runtime.campaigns.segments(october, as: .anonymous)
        #expect(segments.map(\.name) == ["standard clients", "no client"])
        #expect(segments.map(\.counts.sends) == [5, 2])
        #expect(segments.map(\.counts.unsubscribes) == [1, 0])
        #expect(throws: RuntimeError.self) { try runtime.campaigns.segments(999, as: .anonymous) }
        #expect(try runtime.campaigns.mayImport(as: .anonymous))
    }

    @Test func thePreviousCampaignIsTheLatestEarlierOneToTheSameAudience() async throws {
        let runtime = try await Self.runtime()
        let report = """
            Email Address,Campaign Title,Send Time,Segment,Opens,Clicks
            a@x.example,First,2026-01-05,Customers,1,0
            a@x.example,Second,2026-02-05,Customers,0,0
            a@x.example,Other,2026-02-20,Prospects,1,1
            a@x.example,Third,2026-03-05,Customers,1,1
            """
        let ids = try runtime.campaigns.importCSV(Data(report.utf8), file: "r.csv", vendor: .mailchimp, as: .anonymous).campaigns.map(\.id)
        let third = try runtime.campaigns.insightsInput(ids[3], as: .anonymous)
        #expect(third.previous?.campaign.name == "Second")
        #expect(third.variables["figures"]?.contains("previous campaign to Customers (Second, 2026-02-05): sends 1, delivered 1 (bounce rate 0.0%), opened 0 (0.0%)") == true)
        #expect(try runtime.campaigns.insightsInput(ids[0], as: .anonymous).previous == nil)
    }
}
