import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

/// The campaign engagement the rules read for many clients at once equals what each client's snapshot gives, and
/// holds what was engaged within the window only.
@Suite struct CampaignFactsTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let day = 86_400.0

    @Test func factsOfManyClientsEqualEachSnapshotsWithCampaigns() throws {
        let store = try ClientStore.inMemory(now: { Self.now })
        for (id, domain) in [("acme", "acme.test"), ("globex", "globex.test"), ("quiet", "quiet.test")] {
            try store.addClient(Client(id: id, name: id.capitalized, domain: domain, createdAt: Self.now.addingTimeInterval(-400 * Self.day)))
        }
        try store.addContact(Contact(clientID: "acme", name: "Dana", email: "dana@acme.test", role: .decisionMaker))
        try store.addContact(Contact(clientID: "globex", name: "Gus", email: "gus@globex.test", role: .user))
        func day(_ offset: Double) -> String { ImportDate.dateTime(Self.now.addingTimeInterval(offset * Self.day)) }
        let report = """
            Email Address,Campaign ID,Campaign Title,Send Time,Opens,Clicks,Bounce,Clicked URLs
            dana@acme.test,c1,Old,\(day(-70)),1,1,,https://kam.example/pricing
            dana@acme.test,c2,Recent,\(day(-10)),2,1,,https://kam.example/pricing;https://kam.example/blog
            other@acme.test,c2,Recent,\(day(-10)),1,0,,
            gus@globex.test,c2,Recent,\(day(-10)),0,0,,
            gus@globex.test,c3,Bounced,\(day(-5)),0,0,hard,
            ann@quiet.test,c3,Bounced,\(day(-5)),0,0,,
            gus@globex.test,c4,Middle,\(day(-40)),0,0,,
            """
        let summary = try CampaignImporter(store: store, domains: try CompanyDomains.bundled())
            .importCSV(Data(report.utf8), file: "facts.csv", vendor: .mailchimp)
        #expect(summary.linkedToContacts == 5 && summary.linkedByDomain == 2)

        let read = try RuleFactsReader(store: store).facts(clientIDs: ["acme", "globex", "quiet"], at: Self.now)
        for id in ["acme", "globex", "quiet"] {
            let snapshot = try #require(try store.snapshot(clientID: id, activitiesSince: Self.now.addingTimeInterval(-RuleFacts.activityWindow)))
            #expect(read[id] == RuleFacts(snapshot: snapshot, health: nil, at: Self.now), "client \(id)")
        }
        // acme: the recent campaign's two links (c1 is outside the 60-day read); dana is a decision maker.
        let acmeClicks = read["acme"]?.linkClicks ?? []
        #expect(acmeClicks.map { $0.url } == ["https://kam.example/pricing", "https://kam.example/blog"])
        #expect(acmeClicks.allSatisfy { $0.decisionMaker })
        #expect(read["globex"]?.linkClicks.isEmpty == true)
        let acme = try #require(try store.snapshot(clientID: "acme", activitiesSince: Self.now.addingTimeInterval(-90 * Self.day)))
        #expect(acme.campaignTouches.count == 3)  // dana in c1 and c2, other@ (by domain) in c2
        #expect(acme.campaignTouches.first?.sentAt == Self.now.addingTimeInterval(-10 * Self.day))  // newest first
        let globex = try #require(try store.snapshot(clientID: "globex", activitiesSince: Self.now.addingTimeInterval(-90 * Self.day)))
        #expect(globex.campaignTouches.isEmpty)  // never opened; the bounce is no touch
    }
}
