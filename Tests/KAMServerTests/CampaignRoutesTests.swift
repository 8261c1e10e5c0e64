import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMProviders
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// The campaign routes, each answer validated against openapi/campaigns.yaml: an import by a manager (a member is
/// refused, a bad row is 400), the list, one campaign, the trend, and the insights run for the caller (404 for an
/// unknown campaign, 403 when a budget refuses it, 502 when the provider fails).
@Suite struct CampaignRoutesTests {
    typealias World = RoleRouteWorld

    static let report = """
        Email Address,Campaign Title,Subject,Send Time,Segment,Opens,Clicks,Bounce,Unsubscribed,Clicked URLs
        jane.smith@acme.example,Spring,Hello,2026-03-02 09:00,Customers,2,1,,,https://kam.example/pricing
        bob.lee@acme.example,Spring,Hello,2026-03-02 09:00,Customers,0,0,soft,,
        c@gmail.com,Spring,Hello,2026-03-02 09:00,Customers,1,0,,yes,
        """

    static func body(_ csv: String, format: String = "mailchimp") throws -> ByteBuffer {
        ByteBuffer(data: try JSONSerialization.data(withJSONObject: ["format": format, "file": "spring.csv", "csv": csv]))
    }

    @Test("a manager imports; everyone lists and reads; a member cannot import; a bad row is 400 naming its line")
    func importListShow() async throws {
        let world = try await World.make()
        try await world.test { client in
            try await client.executeDocumented(uri: "/campaigns/import", method: .post, headers: world.member, body: try Self.body(Self.report)) {
                #expect($0.status == .forbidden)
            }
            let summary = try await client.executeDocumented(
                uri: "/campaigns/import", method: .post, headers: world.manager, body: try Self.body(Self.report)
            ) {
                #expect($0.status == .created)
                return try World.json($0.body)
            }
            #expect(summary["recipients"]?.intValue == 3)
            #expect(summary["free_mail"]?.intValue == 1)
            let id = try #require(summary["campaigns"]?.arrayValue?.first?["id"]?.intValue)

            let page = try await client.executeDocumented(uri: "/campaigns", method: .get, headers: world.member) {
                #expect($0.status == .ok)
                return try World.json($0.body)
            }
            let counts = page["items"]?.arrayValue?.first?["counts"]
            #expect(counts?["sends"]?.intValue == 3)
            #expect(counts?["bounces"]?.intValue == 1)
            #expect(counts?["opens"]?.intValue == 2)  // a, c of the two delivered
            #expect(counts?["open_rate"]?.doubleValue == 1)
            #expect(counts?["click_rate"]?.doubleValue == 0.5)
            #expect(counts?["unsubscribe_rate"]?.doubleValue == 0.5)

            let report = try await client.executeDocumented(uri: "/campaigns/\(id)", method: .get, headers: world.admin) {
                #expect($0.status == .ok)
                return try World.json($0.body)
            }
            #expect(report["links"]?.arrayValue?.first?["url"]?.stringValue == "https://kam.example/pricing")
            // Acme's decision maker clicked: the engaged client with its links, in the documented snake case.
            let acme = try #require(report["engaged_clients"]?.arrayValue?.first)
            #expect(acme["client_id"]?.stringValue == "acme")
            #expect(acme["decision_maker_clicked"]?.boolValue == true)
            #expect(acme["clicked_urls"]?.arrayValue?.compactMap(\.stringValue) == ["https://kam.example/pricing"])
            try await client.executeDocumented(uri: "/campaigns/999", method: .get, headers: world.admin) { #expect($0.status == .notFound) }
            try await client.executeDocumented(uri: "/campaigns/trends", method: .get, headers: world.member) { #expect($0.status == .ok) }

            let bad = Self.report.replacingOccurrences(of: "2,1,,,", with: "2,1,maybe,,")
            try await client.executeDocumented(uri: "/campaigns/import", method: .post, headers: world.admin, body: try Self.body(bad)) {
                #expect($0.status == .badRequest)
                #expect(World.errorCode($0.body) == "import.invalid-rows")
                #expect(String(buffer: $0.body).contains("spring.csv:2"))
            }
            try await client.executeDocumented(uri: "/campaigns/import", method: .post, headers: world.admin, body: try Self.body(Self.report, format: "excel")) {
                #expect($0.status == .badRequest)
            }
        }
    }

    /// The campaign `report` imported by the admin, its id.
    static func imported(_ world: World) throws -> Int64 {
        try world.runtime.campaigns.importCSV(Data(Self.report.utf8), file: "spring.csv", vendor: .mailchimp, as: .anonymous)
            .campaigns[0].id
    }

    @Test("a member runs the insights: the typed answer, the run's usage, the call attributed to them; an unknown campaign is 404")
    func insightsRunForTheCaller() async throws {
        let world = try await World.make()
        let id = try Self.imported(world)
        try await world.test { client in
            let run = try await client.executeDocumented(uri: "/campaigns/\(id)/insights", method: .post, headers: world.member) {
                #expect($0.status == .ok, "\(String(buffer: $0.body))")
                return try World.json($0.body)
            }
            #expect(run["campaign_id"]?.intValue == id)
            #expect(run["prompt"]?.stringValue?.hasPrefix("analysis.campaign-insights@") == true)
            #expect(run["is_offline"]?.boolValue == true)
            #expect(run["output"]?["summary"]?.stringValue?.isEmpty == false)
            let segments = run["output"]?["segments"]?.arrayValue ?? []
            #expect(!segments.isEmpty && segments.allSatisfy { ["worked", "mixed", "did-not-work"].contains($0["verdict"]?.stringValue ?? "") })
            #expect(run["usage"]?["input_tokens"]?.intValue ?? 0 > 0)
            let byUser = try await world.runtime.usage.totals(by: .user)
            #expect(byUser.map(\.key) == [RoleTestUsers.member] && byUser.first?.calls == 1, "\(byUser)")

            for path in ["/campaigns/999/insights", "/campaigns/abc/insights"] {
                try await client.executeDocumented(uri: path, method: .post, headers: world.member) {
                    #expect($0.status == .notFound, "\(path)")
                    #expect(World.errorCode($0.body) == "campaign.not-found", "\(path)")
                }
            }
            try await client.executeDocumented(uri: "/campaigns/\(id)/insights", method: .post) { #expect($0.status == .unauthorized) }
        }
    }

    @Test("a budget too small for the call refuses it with 403 budget.exceeded, and nothing is sent")
    func insightsRefusedByABudget() async throws {
        let world = try await World.make(overrides: ModelOverrides(provider: "openai", model: "gpt-4o-mini"))
        try await world.runtime.budgets.set(Budget(scope: .global, period: .day, amount: Money(dollars: "0.0001")!), as: .anonymous)
        let id = try Self.imported(world)
        try await world.test { client in
            try await client.executeDocumented(uri: "/campaigns/\(id)/insights", method: .post, headers: world.member) {
                #expect($0.status == .forbidden, "\(String(buffer: $0.body))")
                #expect(World.errorCode($0.body) == "budget.exceeded")
            }
        }
        #expect(try await world.runtime.usage.totals().first?.refused == 1)
    }

    @Test("a provider that fails answers 502 with the provider's error code")
    func insightsProviderFailure() async throws {
        let world = try await World.make(
            configuration: "version: 1\nproviders:\n  local:\n    kind: openai-compatible\n    base_url: http://model.invalid/v1\n",
            overrides: ModelOverrides(provider: "local", model: "m"),
            transport: MockTransport { _ in HTTPResponseData(status: 401, text: #"{"error":{"message":"bad key"}}"#) })
        let id = try Self.imported(world)
        try await world.test { client in
            try await client.executeDocumented(uri: "/campaigns/\(id)/insights", method: .post, headers: world.admin) {
                #expect($0.status == .badGateway, "\(String(buffer: $0.body))")
                #expect(World.errorCode($0.body)?.hasPrefix("provider.") == true, "\(String(buffer: $0.body))")
            }
        }
    }
}
