import Foundation
import GRDB
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

/// Campaign reports (`kam campaigns import`) on sample exports made from Mailchimp's and HubSpot's documented columns
/// (Tests/Fixtures/campaigns), over the clients and contacts of the HubSpot CRM sample: the counts and rates computed
/// by hand, how recipients are linked (contact, domain, free mail, nobody), the engaged clients a reader may see,
/// the trend, a second import replacing instead of adding, and a bad row refused at its line with nothing stored.
@Suite("Campaigns: reports imported, linked to clients and counted")
struct CampaignImportTests {
    static let fixtures = ConnectorImportTests.fixtures.deletingLastPathComponent().appendingPathComponent("campaigns")
    static let mailchimp = fixtures.appendingPathComponent("mailchimp-campaign-report.csv").path
    static let hubspot = fixtures.appendingPathComponent("hubspot-marketing-email.csv").path

    /// A runtime holding the HubSpot CRM sample: Nimbus Analytics (priya@), Orbit Dental (chris.wong@), Pine & Co (hanna@).
    static func runtime() async throws -> Runtime {
        let runtime = try await ConnectorImportTests.runtime()
        _ = try runtime.imports.importFile(
            ConnectorImportTests.request("hubspot", ConnectorImportTests.fixtures.appendingPathComponent("hubspot").path), as: .anonymous)
        return runtime
    }

    static func clientID(_ runtime: Runtime, domain: String) throws -> String {
        try #require(try ConnectorImportTests.rows(runtime, "SELECT id FROM clients WHERE domain = '\(domain)'").first?.first)
    }

    @Test("Mailchimp: two campaigns of one report, counted and linked as computed by hand")
    func mailchimp() async throws {
        let runtime = try await Self.runtime()
        let summary = try runtime.campaigns.importFile(path: Self.mailchimp, vendor: .mailchimp, as: .anonymous)
        #expect(summary.campaigns.map(\.name) == ["October Newsletter", "Pricing Update"])
        #expect(summary.campaigns.map(\.outcome) == ["created", "created"])
        #expect(summary.recipients == 11)
        #expect(summary.linkedToContacts == 6)  // priya, chris and hanna in both campaigns
        #expect(summary.linkedByDomain == 2)  // lars@nimbus-analytics.io, mark@orbitdental.com.au
        #expect(summary.freeMail == 2)  // jo.smith@gmail.com twice: never a client by its domain
        #expect(summary.unlinked == 3)  // jo twice, ops@unknown-co.example
        #expect(summary.engagedClients == 3)

        let list = try runtime.campaigns.list(as: .anonymous)
        #expect(list.map(\.campaign.name) == ["Pricing Update", "October Newsletter"])  // newest first
        #expect(list[1].campaign.externalID == "mailchimp:october-newsletter-2025-10-07")
        #expect(list[0].campaign.externalID == "mailchimp:c2pricing")
        #expect(list[1].campaign.segment == "Customers")
        #expect(list[0].campaign.segment == "KAM Prospects")  // no segment: the audience
        #expect(list[1].campaign.subject == "What's new in October")

        // October: 7 sent, hanna bounced (6 delivered); opened priya, lars, chris (a click is an open), jo, mark;
        // clicked priya and chris; mark unsubscribed.
        let october = list[1].counts
        #expect(october == CampaignCounts(recipients: 7, sends: 7, bounces: 1, opens: 5, clicks: 2, unsubscribes: 1, replies: 0))
        #expect(october.delivered == 6)
        #expect(october.openRate == 5.0 / 6)
        #expect(october.clickRate == 2.0 / 6)
        #expect(october.clickToOpenRate == 2.0 / 5)
        #expect(october.bounceRate == 1.0 / 7)
        #expect(october.unsubscribeRate == 1.0 / 6)
        #expect(october.replyRate == 0)
        // Pricing: 4 delivered; opened priya, hanna, jo; clicked priya, jo.
        #expect(list[0].counts == CampaignCounts(recipients: 4, sends: 4, bounces: 0, opens: 3, clicks: 2, unsubscribes: 0, replies: 0))

        let nimbus = try Self.clientID(runtime, domain: "nimbus-analytics.io")
        let orbit = try Self.clientID(runtime, domain: "orbitdental.com.au")
        let report = try runtime.campaigns.report(list[1].campaign.id, as: .anonymous)
        #expect(report.links == [.init(url: "https://kam.example/blog/q4", recipients: 2), .init(url: "https://kam.example/pricing", recipients: 1)])
        #expect(report.engagedClients.map(\.clientID) == [nimbus, orbit])  // equal clicks and opens: by id
        #expect(report.engagedClients[0] == EngagedClient(
            clientID: nimbus, clientName: "Nimbus Analytics", recipients: 2, opened: 2, clicked: 1,
            clickedURLs: ["https://kam.example/blog/q4", "https://kam.example/pricing"]))
        #expect(report.engagedClients[1].opened == 2 && report.engagedClients[1].clicked == 1 && report.engagedClients[1].recipients == 2)
        #expect(report.otherEngaged == 1)  // jo, of no client

        let events = try ConnectorImportTests.rows(runtime, "SELECT kind, client_id, subject_id FROM events WHERE kind LIKE 'campaign.%' ORDER BY id")
        #expect(events.filter { $0[0] == "campaign.imported" }.count == 2)
        #expect(events.filter { $0[0] == "campaign.engaged" }.map { $0[1] }.sorted() == [nimbus, orbit, nimbus, try Self.clientID(runtime, domain: "pineandco.de")].sorted())
    }

    @Test("HubSpot: not sent, not delivered (a bounce), unsubscribed and replied, as computed by hand")
    func hubspot() async throws {
        let runtime = try await Self.runtime()
        let summary = try runtime.campaigns.importFile(path: Self.hubspot, vendor: .hubspot, as: .anonymous)
        #expect(summary.campaigns.count == 1)
        let campaign = try #require(try runtime.campaigns.list(as: .anonymous).first)
        #expect(campaign.campaign.externalID == "hubspot:88123")
        #expect(campaign.campaign.segment == "Customers - EMEA")
        #expect(campaign.campaign.sentAt == ImportDate.parse("2025-11-04T09:00:00Z"))
        // anna was not sent; hanna was not delivered (a bounce): 4 sends, 3 delivered; priya and sam opened, priya
        // clicked and replied, sam unsubscribed.
        #expect(campaign.counts == CampaignCounts(recipients: 5, sends: 4, bounces: 1, opens: 2, clicks: 1, unsubscribes: 1, replies: 1))
        #expect(campaign.counts.replyRate == 1.0 / 3)
        #expect(campaign.counts.bounceRate == 1.0 / 4)
        let report = try runtime.campaigns.report(campaign.campaign.id, as: .anonymous)
        #expect(report.engagedClients.count == 1)
        #expect(report.engagedClients.first?.replied == 1)
        #expect(report.engagedClients.first?.recipients == 2)  // priya by contact, sam by domain
        #expect(report.links == [.init(url: "https://kam.example/webinar", recipients: 1)])
    }

    @Test("A reader sees only the engaged clients of their scope; the counts stay the campaign's")
    func scope() async throws {
        let runtime = try await Self.runtime()
        let summary = try runtime.campaigns.importFile(path: Self.mailchimp, vendor: .mailchimp, as: .anonymous)
        let outsider = ActingUser("nobody", scope: AccessScope(reach: .own("nobody")))
        let report = try runtime.campaigns.report(summary.campaigns[0].id, as: outsider)
        #expect(report.engagedClients.isEmpty)
        #expect(report.otherEngaged == 5)
        #expect(report.counts.opens == 5)
        #expect(throws: RoleRefusal.self) {
            try runtime.campaigns.importFile(path: Self.mailchimp, vendor: .mailchimp, as: outsider)
        }
        #expect(throws: RuntimeError.self) { try runtime.campaigns.report(999, as: .anonymous) }
    }

    @Test("A second import of the same report replaces the recipients; the trend compares campaign to campaign")
    func reimportAndTrend() async throws {
        let runtime = try await Self.runtime()
        _ = try runtime.campaigns.importFile(path: Self.mailchimp, vendor: .mailchimp, as: .anonymous)
        let again = try runtime.campaigns.importFile(path: Self.mailchimp, vendor: .mailchimp, as: .anonymous)
        #expect(again.campaigns.map(\.outcome) == ["replaced", "replaced"])
        #expect(try ConnectorImportTests.rows(runtime, "SELECT COUNT(*) FROM campaigns") == [["2"]])
        #expect(try ConnectorImportTests.rows(runtime, "SELECT COUNT(*) FROM campaign_recipients") == [["11"]])
        // Nobody engaged more than the first import said: no new campaign.engaged events.
        #expect(try ConnectorImportTests.rows(runtime, "SELECT COUNT(*) FROM events WHERE kind = 'campaign.engaged'") == [["4"]])

        _ = try runtime.campaigns.importFile(path: Self.hubspot, vendor: .hubspot, as: .anonymous)
        let trend = try runtime.campaigns.trend(as: .anonymous)
        #expect(trend.points.map(\.name) == ["October Newsletter", "Pricing Update", "Q4 Webinar Invite"])
        #expect(trend.points[0].openRateChange == nil)
        #expect(trend.points[1].openRateChange == 3.0 / 4 - 5.0 / 6)
        #expect(trend.points[2].clickRateChange == 1.0 / 3 - 2.0 / 4)
        #expect(trend.total == CampaignCounts(recipients: 16, sends: 15, bounces: 2, opens: 10, clicks: 5, unsubscribes: 2, replies: 1))
        let bySegment = try runtime.campaigns.trend(bySegment: true, as: .anonymous)
        #expect(bySegment.points.allSatisfy { $0.openRateChange == nil })  // three segments, one campaign each
    }

    @Test("A bad row is refused at its file and line, and nothing is stored")
    func badRow() async throws {
        let runtime = try await Self.runtime()
        var lines = try String(contentsOfFile: Self.mailchimp, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines[3] = Substring(lines[3].replacingOccurrences(of: ",0,1,,,", with: ",many,1,,,"))
        let file = TemporaryFile("report.csv")
        defer { file.remove() }
        try file.write(lines.joined(separator: "\n"))
        let error = try #require(throws: ImportError.self) {
            try runtime.campaigns.importFile(path: file.path, vendor: .mailchimp, as: .anonymous)
        }
        #expect(error.code == .invalidRows)
        #expect(error.issues.first?.description.hasSuffix("report.csv:4: field 'Opens': 'many' is not a count (a whole number of 0 or more, or yes/no)") == true)
        #expect(try ConnectorImportTests.rows(runtime, "SELECT COUNT(*) FROM campaigns") == [["0"]])
        #expect(try ConnectorImportTests.rows(runtime, "SELECT COUNT(*) FROM events WHERE kind LIKE 'campaign.%'") == [["0"]])

        let twice = lines[0...2].joined(separator: "\n") + "\n" + lines[1]
        let repeated = try #require(throws: ImportError.self) {
            try runtime.campaigns.importCSV(Data(twice.utf8), file: "upload.csv", vendor: .mailchimp, as: .anonymous)
        }
        #expect(repeated.issues.first?.description.hasPrefix("upload.csv:4: field 'email': 'priya@nimbus-analytics.io' is already a recipient") == true)
        #expect(throws: ImportError.self) {
            try runtime.campaigns.importCSV(Data("Email,Sent\nx@y.com,true\n".utf8), file: "wrong.csv", vendor: .hubspot, as: .anonymous)
        }
    }
}
