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

/// The campaigns pages through the router: the import form (a good report, a bad row shown at its line with
/// nothing stored, a member refused, a forged token refused), the list a page at a time, one campaign with its
/// counts, tiers and trend chart, and isolation: a user of another team never sees a foreign client that engaged.
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

    /// Posts the import form as the signed-in `cookie` with the token of its page.
    static func importForm(
        _ client: any TestClientProtocol, _ cookie: HTTPFields, csv: String, vendor: String = "mailchimp", token: String? = nil
    ) async throws -> TestResponse {
        let page = Web.text(try await client.execute(uri: "/app/campaigns", method: .get, headers: cookie))
        let fields = ["csrf": try token ?? Web.csrf(page), "vendor": vendor, "file": "spring.csv", "csv": csv]
        return try await client.execute(
            uri: "/app/campaigns/import", method: .post, headers: cookie.merging(Web.formHeaders), body: Web.form(fields))
    }

    static func campaignID(_ runtime: Runtime, named name: String) throws -> Int64 {
        try #require(try runtime.campaigns.list(as: .anonymous).first { $0.campaign.name == name }).campaign.id
    }

    @Test func anAdminImportsFromThePageAndSeesTheCampaignsWithTheirRates() async throws {
        let world = try await Self.world()
        try await world.test { client in
            let (_, admin) = try await Web.signIn(client, "maria")
            let empty = Web.text(try await client.execute(uri: "/app/campaigns", method: .get, headers: admin))
            #expect(empty.contains("href=\"/app/campaigns\" aria-current=\"page\""))
            #expect(empty.contains("action=\"/app/campaigns/import\"") && empty.contains("No campaign yet"))
            let token = try Web.csrf(empty)
            #expect(empty.contains("name=\"csrf\" value=\"\(token)\""))

            let imported = try await Self.importForm(client, admin, csv: Self.report)
            #expect(imported.status == .ok)
            let html = Web.text(imported)
            #expect(html.contains("Imported spring.csv"))
            #expect(html.contains("6 recipients: "))
            let spring = try Self.campaignID(world.runtime, named: "Spring Webinar")
            #expect(html.contains("<a href=\"/app/campaigns/\(spring)\">Spring Webinar</a>"))
            // Spring: 4 sent, 1 bounced, 3 delivered; 3 opened, 1 clicked, 1 unsubscribed, 0 replied.
            #expect(html.contains("<td>4</td><td>100 %</td><td>33 %</td><td>25 %</td><td>33 %</td><td>0 %</td>"), "\(html)")
            #expect(try world.runtime.campaigns.list(as: .anonymous).count == 2)
        }
    }

    @Test func theToolChosenInTheFormReadsItsOwnReport() async throws {
        let world = try await Self.world()
        let hubspot = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/campaigns/hubspot-marketing-email.csv"), encoding: .utf8)
        try await world.test { client in
            let (_, admin) = try await Web.signIn(client, "maria")
            let asMailchimp = try await Self.importForm(client, admin, csv: hubspot)
            #expect(asMailchimp.status == .badRequest)
            #expect(Web.text(asMailchimp).contains("<option value=\"mailchimp\" selected>"))
            let imported = try await Self.importForm(client, admin, csv: hubspot, vendor: "hubspot")
            #expect(imported.status == .ok)
            let id = try Self.campaignID(world.runtime, named: "Q4 Webinar Invite")
            #expect(Web.text(imported).contains("<a href=\"/app/campaigns/\(id)\">Q4 Webinar Invite</a>"))
            #expect(try world.runtime.campaigns.list(as: .anonymous).map(\.campaign.vendor) == [.hubspot])
            let unknown = try await Self.importForm(client, admin, csv: hubspot, vendor: "excel")
            #expect(unknown.status == .badRequest)
        }
    }

    @Test func aBadRowIsShownAtItsLineAndNothingIsStored() async throws {
        let world = try await Self.world()
        try await world.test { client in
            let (_, admin) = try await Web.signIn(client, "maria")
            let bad = Self.report.replacingOccurrences(of: "2,1,,,", with: "2,1,maybe,,")
            let response = try await Self.importForm(client, admin, csv: bad)
            #expect(response.status == .badRequest)
            let html = Web.text(response)
            #expect(html.contains("role=\"alert\""))
            #expect(html.contains("<li>spring.csv:4: "), "\(html)")
            #expect(html.contains("nothing was imported"))
            #expect(html.contains("maybe"), "the text box keeps the report to fix it")
            #expect(try world.runtime.campaigns.list(as: .anonymous).isEmpty)

            let blank = try await Self.importForm(client, admin, csv: "  \n")
            #expect(blank.status == .badRequest)
            #expect(Web.text(blank).contains("no report arrived"))
            #expect(try world.runtime.campaigns.list(as: .anonymous).isEmpty)
        }
    }

    @Test func aMemberHasNoImportFormAndIsRefusedAndAForgedTokenIsRefused() async throws {
        let world = try await Self.world()
        try await world.test { client in
            let (_, member) = try await Web.signIn(client, "sven")
            let page = Web.text(try await client.execute(uri: "/app/campaigns", method: .get, headers: member))
            #expect(page.contains("/app/campaigns") && !page.contains("action=\"/app/campaigns/import\""))
            let refused = try await Self.importForm(client, member, csv: Self.report)
            #expect(refused.status == .forbidden)
            #expect(Web.text(refused).contains("manager or admin"))
            #expect(try world.runtime.campaigns.list(as: .anonymous).isEmpty)

            let (_, manager) = try await Web.signIn(client, "aisha")
            let managerPage = Web.text(try await client.execute(uri: "/app/campaigns", method: .get, headers: manager))
            #expect(managerPage.contains("action=\"/app/campaigns/import\""))
            let forged = try await Self.importForm(client, manager, csv: Self.report, token: "not-the-token")
            #expect(forged.status == .forbidden)
            #expect(try world.runtime.campaigns.list(as: .anonymous).isEmpty)
            #expect(try await Self.importForm(client, manager, csv: Self.report).status == .ok)

            let anonymous = try await client.execute(uri: "/app/campaigns", method: .get)
            #expect(anonymous.status == .seeOther)
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
