import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// The campaigns pages through the router: the import form the script sends to the JSON API (`POST /campaigns/import`
/// with the session and its CSRF token: a good report, a bad row named at its line with nothing stored, a member
/// refused, a forged token refused; the page has no route of its own for it), the list a page at a time, one campaign
/// with its counts, tiers, trend chart and the "Explain this campaign" button, and isolation: a user of another team
/// never sees a foreign client that engaged.
@Suite("Campaign pages") struct CampaignPagesTests {
    typealias Web = WebPageTests

    /// Two campaigns to the same segment: jane (acme, maria's) and gavin (hooli, sven's) engaged with the second.
    static let report = """
        Email Address,Campaign Title,Subject,Send Time,Segment,Opens,Clicks,Bounce,Unsubscribed,Clicked URLs
        jane.smith@acme.example,Winter Update,Winter news,2026-01-15 09:00,Customers,1,0,,,
        gavin@hooli.example,Winter Update,Winter news,2026-01-15 09:00,Customers,0,0,,,
        jane.smith@acme.example,Spring Webinar,Join us,2026-03-02 09:00,Customers,2,1,,,https://kam.example/pricing
        gavin@hooli.example,Spring Webinar,Join us,2026-03-02 09:00,Customers,1,0,,,
        bob.lee@acme.example,Spring Webinar,Join us,2026-03-02 09:00,Customers,0,0,soft,,
        anna@gmail.com,Spring Webinar,Join us,2026-03-02 09:00,Customers,1,0,,yes,
        """

    static func world() async throws -> RouteTestWorld {
        let world = try await Web.world()
        try world.runtime.webSessions.setPassword(for: "aisha", to: Web.password, cost: Web.testCost, as: .anonymous)
        return world
    }

    /// Sends the import as the page's script does: `POST /campaigns/import` with the signed-in `cookie` and the CSRF
    /// token of the campaigns page (or `token`).
    static func importReport(
        _ client: any TestClientProtocol, _ cookie: HTTPFields, csv: String, vendor: String = "mailchimp", token: String? = nil
    ) async throws -> TestResponse {
        let page = Web.text(try await client.execute(uri: "/app/campaigns", method: .get, headers: cookie))
        let body = try JSONSerialization.data(withJSONObject: ["format": vendor, "file": "spring.csv", "csv": csv])
        return try await client.execute(
            uri: "/campaigns/import", method: .post,
            headers: cookie.merging([.contentType: "application/json", WebSessionCookie.csrfHeader: try token ?? Web.csrf(page)]),
            body: ByteBuffer(data: body))
    }

    static func campaignID(_ runtime: Runtime, named name: String) throws -> Int64 {
        try #require(try runtime.campaigns.list(as: .anonymous).first { $0.campaign.name == name }).campaign.id
    }

    @Test func anAdminImportsThroughTheAPIFromThePageAndSeesTheCampaignsWithTheirRates() async throws {
        let world = try await Self.world()
        try await world.test { client in
            let (_, admin) = try await Web.signIn(client, "maria")
            let empty = Web.text(try await client.execute(uri: "/app/campaigns", method: .get, headers: admin))
            #expect(empty.contains("href=\"/app/campaigns\" aria-current=\"page\""))
            #expect(empty.contains("data-campaign-import") && empty.contains("No campaign yet"))
            #expect(!empty.contains("action=\"/app/campaigns/import\""), "the form is the script's, it posts nowhere itself")
            #expect(empty.contains("<option value=\"mailchimp\" selected>") && empty.contains("<option value=\"hubspot\">"))
            #expect(empty.contains("id=\"import-error\" role=\"alert\"") && empty.contains("id=\"import-result\""))

            let imported = try await Self.importReport(client, admin, csv: Self.report)
            #expect(imported.status == .created)
            #expect(Web.text(imported).contains("\"file\":\"spring.csv\""))
            let spring = try Self.campaignID(world.runtime, named: "Spring Webinar")
            let html = Web.text(try await client.execute(uri: "/app/campaigns", method: .get, headers: admin))
            #expect(html.contains("<a href=\"/app/campaigns/\(spring)\">Spring Webinar</a>"))
            // Spring: 4 sent, 1 bounced, 3 delivered; 3 opened, 1 clicked, 1 unsubscribed, 0 replied.
            #expect(html.contains("<td>4</td><td>100 %</td><td>33 %</td><td>25 %</td><td>33 %</td><td>0 %</td>"), "\(html)")
            #expect(try world.runtime.campaigns.list(as: .anonymous).count == 2)
        }
    }

    @Test func aBadRowIsNamedAtItsLineAndNothingIsStoredAndThePageHasNoImportRouteOfItsOwn() async throws {
        let world = try await Self.world()
        try await world.test { client in
            let (_, admin) = try await Web.signIn(client, "maria")
            let bad = Self.report.replacingOccurrences(of: "2,1,,,", with: "2,1,maybe,,")
            let response = try await Self.importReport(client, admin, csv: bad)
            #expect(response.status == .badRequest)
            let message = try #require(RouteTestWorld.json(response.body)["error"]?["message"]?.stringValue)
            #expect(message.split(separator: "\n").contains { $0.hasPrefix("spring.csv:4: ") }, "\(message)")
            #expect(message.contains("nothing was imported"))
            #expect(try world.runtime.campaigns.list(as: .anonymous).isEmpty)

            let page = Web.text(try await client.execute(uri: "/app/campaigns", method: .get, headers: admin))
            let token = try Web.csrf(page)
            let form = Web.form(["csrf": token, "vendor": "mailchimp", "csv": Self.report])
            let old = try await client.execute(
                uri: "/app/campaigns/import", method: .post,
                headers: admin.merging(Web.formHeaders).merging([WebSessionCookie.csrfHeader: token]), body: form)
            #expect([.notFound, .methodNotAllowed].contains(old.status), "\(old.status)")
            #expect(try world.runtime.campaigns.list(as: .anonymous).isEmpty)
        }
    }

    @Test func aMemberHasNoImportFormAndIsRefusedAndAForgedTokenIsRefused() async throws {
        let world = try await Self.world()
        try await world.test { client in
            let (_, member) = try await Web.signIn(client, "sven")
            let page = Web.text(try await client.execute(uri: "/app/campaigns", method: .get, headers: member))
            #expect(page.contains("/app/campaigns") && !page.contains("data-campaign-import"))
            let refused = try await Self.importReport(client, member, csv: Self.report)
            #expect(refused.status == .forbidden)
            #expect(Web.text(refused).contains("manager or admin"))
            #expect(try world.runtime.campaigns.list(as: .anonymous).isEmpty)

            let (_, manager) = try await Web.signIn(client, "aisha")
            let managerPage = Web.text(try await client.execute(uri: "/app/campaigns", method: .get, headers: manager))
            #expect(managerPage.contains("data-campaign-import"))
            let forged = try await Self.importReport(client, manager, csv: Self.report, token: "not-the-token")
            #expect(forged.status == .forbidden)
            #expect(RouteTestWorld.errorCode(forged) == "auth.csrf")
            #expect(try world.runtime.campaigns.list(as: .anonymous).isEmpty)
            #expect(try await Self.importReport(client, manager, csv: Self.report).status == .created)

            let anonymous = try await client.execute(uri: "/app/campaigns", method: .get)
            #expect(anonymous.status == .seeOther)
        }
    }

    @Test func theExplainButtonRunsTheInsightsThroughTheAPIWithTheSession() async throws {
        let world = try await Self.world()
        _ = try world.runtime.campaigns.importCSV(Data(Self.report.utf8), file: "spring.csv", vendor: .mailchimp, as: .anonymous)
        let spring = try Self.campaignID(world.runtime, named: "Spring Webinar")
        try await world.test { client in
            let (_, member) = try await Web.signIn(client, "sven")
            let page = Web.text(try await client.execute(uri: "/app/campaigns/\(spring)", method: .get, headers: member))
            #expect(page.contains("data-campaign-insights=\"\(spring)\""), "\(page)")
            #expect(page.contains(">Explain this campaign</button>"))
            #expect(page.contains("data-insights-error role=\"alert\""))
            let headers = member.merging([.contentType: "application/json", WebSessionCookie.csrfHeader: try Web.csrf(page)])
            let run = try await client.execute(uri: "/campaigns/\(spring)/insights", method: .post, headers: headers)
            #expect(run.status == .ok, "\(Web.text(run))")
            #expect(try RouteTestWorld.json(run.body)["output"]?["summary"]?.stringValue?.isEmpty == false)
            let forged = try await client.execute(uri: "/campaigns/\(spring)/insights", method: .post, headers: member)
            #expect(RouteTestWorld.errorCode(forged) == "auth.csrf", "a change (a metered call) needs the page's token")
        }
    }

    @Test func aCampaignShowsItsFiguresAndOnlyTheEngagedClientsTheReaderMaySee() async throws {
        let world = try await Self.world()
        _ = try world.runtime.campaigns.importCSV(Data(Self.report.utf8), file: "spring.csv", vendor: .mailchimp, as: .anonymous)
        let spring = try Self.campaignID(world.runtime, named: "Spring Webinar")
        let winter = try Self.campaignID(world.runtime, named: "Winter Update")
        try await world.test { client in
            let (_, admin) = try await Web.signIn(client, "maria")
            let page = try await client.execute(uri: "/app/campaigns/\(spring)", method: .get, headers: admin)
            #expect(page.status == .ok)
            let html = Web.text(page)
            #expect(html.contains("<h1>Spring Webinar</h1>"))
            #expect(html.contains("<a href=\"/app/clients/acme\">") && html.contains("<a href=\"/app/clients/hooli\">"))
            #expect(html.contains("https://kam.example/pricing"))
            #expect(html.contains("<th scope=\"row\">opened</th><td>3</td><td>100 % of the delivered</td>"), "\(html)")
            #expect(html.contains("aria-labelledby=\"campaign-trend-title campaign-trend-desc\""))
            #expect(html.components(separatedBy: "<polyline").count == 4, "open, click and reply lines")
            #expect(html.contains("<a href=\"/app/campaigns/\(winter)\">Winter Update</a>"))
            #expect(html.contains("<td>100 %</td><td>+50 pts</td><td>33 %</td><td>+33 pts</td>"), "\(html)")
            #expect(html.contains("<th scope=\"row\">no client</th>"), "the free-mail recipient's tier row")
            #expect(html.contains("clients): 1."), "only the free-mail recipient is nobody's the admin sees")

            let (_, member) = try await Web.signIn(client, "sven")
            let own = Web.text(try await client.execute(uri: "/app/campaigns/\(spring)", method: .get, headers: member))
            #expect(own.contains("<a href=\"/app/clients/hooli\">"))
            #expect(!own.contains("/app/clients/acme") && !own.contains("Acme"))
            #expect(own.contains("Engaged recipients linked to no client you can see"))
            #expect(own.contains("clients): 2."), "acme's engaged recipient and the free-mail one are counted, never named")
            let (_, manager) = try await Web.signIn(client, "aisha")
            let team = Web.text(try await client.execute(uri: "/app/campaigns/\(spring)", method: .get, headers: manager))
            #expect(team.contains("/app/clients/hooli") && !team.contains("/app/clients/acme"))

            for path in ["/app/campaigns/999", "/app/campaigns/abc"] {
                let missing = try await client.execute(uri: path, method: .get, headers: member)
                #expect(missing.status == .notFound, "\(path)")
            }
        }
    }

    @Test func theListIsPagedAndTheNextPageKeepsTheLimit() async throws {
        let world = try await Self.world()
        _ = try world.runtime.campaigns.importCSV(Data(Self.report.utf8), file: "spring.csv", vendor: .mailchimp, as: .anonymous)
        try await world.test { client in
            let (_, member) = try await Web.signIn(client, "sven")
            let first = Web.text(try await client.execute(uri: "/app/campaigns?limit=1", method: .get, headers: member))
            #expect(first.contains("Spring Webinar") && !first.contains("Winter Update"))
            let start = try #require(first.range(of: "/app/campaigns?limit")?.lowerBound)
            let next = String(first[first.index(start, offsetBy: "/app/campaigns?".count)...].prefix { $0 != "\"" })
            #expect(next.contains("limit=1") && next.contains("cursor="), "\(next)")
            let second = Web.text(
                try await client.execute(uri: "/app/campaigns?" + next.replacingOccurrences(of: "&amp;", with: "&"), method: .get, headers: member))
            #expect(second.contains("Winter Update") && !second.contains("Spring Webinar") && !second.contains("Next page"))
            let wrong = try await client.execute(uri: "/app/campaigns?limit=0", method: .get, headers: member)
            #expect(wrong.status == .badRequest)
        }
    }
}
