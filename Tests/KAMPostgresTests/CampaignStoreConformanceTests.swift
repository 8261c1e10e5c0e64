import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The campaigns' store, written once and run against SQLite and PostgreSQL: every method of `CampaignStoring`, how
/// an import links recipients, what a second import of a report replaces, the events, an import refused as a whole,
/// and two processes importing one report at once.
///
/// A PostgreSQL case without a server is skipped with the reason (`PostgresTestServer`), and fails under CI.
@Suite("Campaign store conformance")
struct CampaignStoreConformanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let sentAt = Date(timeIntervalSince1970: 1_789_000_000.25)
    static let pricing = "https://kam.example/pricing"
    static let fleet = "https://kam.example/fleet"

    /// What a host's company is: `globex.example` for its subdomains, free mail for gmail.com, the last two labels of
    /// any other `.example` host.
    static func domainOf(_ host: String) -> RecipientLinker.Domain {
        if host == "gmail.com" { return .freeMail }
        if host.hasSuffix("globex.example") { return .company("globex.example") }
        guard host.hasSuffix(".example") else { return .none }
        return .company(host.split(separator: ".").suffix(2).joined(separator: "."))
    }

    static func campaign(_ external: String, name: String = "Spring launch") -> Campaign {
        Campaign(
            id: 0, externalID: external, name: name, vendor: .hubspot, sentAt: sentAt,
            subject: "What's new: \"größe\" 🚀", segment: "customers", importedAt: sentAt)
    }

    /// Five recipients, linked five ways: Jane by her contact (a decision maker, who clicked), someone of Globex by its
    /// domain, a free-mail address (who clicked), Bob by his contact (bounced), an address of no client.
    static let recipients = [
        RecipientEngagement(email: "Jane.Smith@ACME.example", opens: 2, clicks: 1, clickedURLs: [pricing]),
        RecipientEngagement(email: "someone@sub.GLOBEX.example", opens: 1),
        RecipientEngagement(email: "x@gmail.com", opens: 1, clicks: 2, clickedURLs: [fleet, pricing]),
        RecipientEngagement(email: "bob@globex.example", bounced: true),
        RecipientEngagement(email: "nobody@unknown.example", unsubscribed: true),
    ]

    static func counts(_ recipients: [RecipientEngagement]) -> CampaignCounts {
        var counts = CampaignCounts()
        for recipient in recipients { counts.add(recipient) }
        return counts
    }

    static func report(_ recipients: [RecipientEngagement] = recipients) -> [CampaignImportEntry] {
        [CampaignImportEntry(campaign: campaign("hubspot:1"), recipients: recipients)]
    }

    /// The events of the campaigns' kinds, oldest first, as `kind client`.
    static func events(_ world: InboxWorld) async throws -> [String] {
        try await world.events("campaign.").map { event in
            let parts = event.split(separator: " ")
            return "\(parts[0]) \(parts[2])"
        }
    }

    @Test("an import links each recipient as SQLite does and reads back as stored", arguments: StoreBackend.allCases)
    func importAndRead(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            let (store, other) = (world.handles[0].campaigns, world.handles[1].campaigns)
            let summary = try store.importCampaigns(Self.report(), file: "report.csv", domainOf: Self.domainOf, at: Self.t0)
            #expect(summary.file == "report.csv")
            #expect(summary.recipients == 5 && summary.linkedToContacts == 2 && summary.linkedByDomain == 1)
            #expect(summary.freeMail == 1 && summary.unlinked == 2 && summary.engagedClients == 2)
            let entry = try #require(summary.campaigns.first)
            #expect(summary.campaigns.count == 1 && entry.outcome == "created" && entry.recipients == 5)

            var stored = Self.campaign("hubspot:1")
            (stored.id, stored.importedAt) = (entry.id, Self.t0)
            #expect(try other.list() == [CampaignSummary(campaign: stored, counts: Self.counts(Self.recipients))])

            let report = try #require(try other.report(id: entry.id, covers: { _ in true }))
            #expect(report.campaign == stored && report.counts == Self.counts(Self.recipients))
            #expect(report.links == CampaignReport.links([Self.pricing: 2, Self.fleet: 1]))
            #expect(report.engagedClients.map(\.clientID).sorted() == ["acme", "globex"])
            let acme = try #require(report.engagedClients.first { $0.clientID == "acme" })
            #expect(acme.clientName == "Acme Corp" && acme.decisionMakerClicked && acme.clickedURLs == [Self.pricing])
            let globex = try #require(report.engagedClients.first { $0.clientID == "globex" })
            #expect(globex.recipients == 2 && globex.opened == 1 && globex.clicked == 0)
            #expect(report.otherEngaged == 1)
            // A reader who sees only u1's clients sees Acme; Globex's engaged recipient counts among the others.
            let scoped = try #require(try other.report(id: entry.id, covers: { $0 == "u1" }))
            #expect(scoped.engagedClients.map(\.clientID) == ["acme"] && scoped.otherEngaged == 2)

            let segments = try #require(try other.segments(id: entry.id))
            #expect(segments.map { $0.name } == ["standard clients", "no client"])
            #expect(segments.map { $0.counts } == [
                Self.counts(Array(Self.recipients[0...1]) + [Self.recipients[3]]),
                Self.counts([Self.recipients[2], Self.recipients[4]]),
            ])
            #expect(try other.report(id: entry.id + 1, covers: { _ in true }) == nil)
            #expect(try other.segments(id: entry.id + 1) == nil)
            #expect(
                try await Self.events(world) == [
                    "campaign.imported -", "campaign.engaged acme", "campaign.engaged globex",
                ])
            #expect(try await world.count("campaign_recipients") == 5)
            let linked = try await world.strings(
                """
                SELECT email || ' ' || COALESCE(CAST(contact_id AS TEXT), '-') || ' ' || COALESCE(client_id, '-') || ' '
                    || COALESCE(clicked_urls, '-')
                FROM campaign_recipients ORDER BY id
                """)
            #expect(
                linked == [
                    "Jane.Smith@ACME.example 1 acme \(Self.pricing)", "someone@sub.GLOBEX.example - globex -",
                    "x@gmail.com - - \(Self.fleet)\n\(Self.pricing)", "bob@globex.example 2 globex -",
                    "nobody@unknown.example - - -",
                ])
        }
    }

    @Test(
        "a report imported again replaces its campaign's recipients, and only a client that engaged more has an event",
        arguments: StoreBackend.allCases)
    func reimport(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            let (store, other) = (world.handles[0].campaigns, world.handles[1].campaigns)
            let first = try store.importCampaigns(Self.report(), file: "a.csv", domainOf: Self.domainOf, at: Self.t0)
            let again = try other.importCampaigns(
                Self.report(), file: "a.csv", domainOf: Self.domainOf, at: Self.t0.addingTimeInterval(60))
            #expect(again.campaigns.map(\.outcome) == ["replaced"])
            #expect(again.campaigns.map(\.id) == first.campaigns.map(\.id))
            #expect(again.engagedClients == 2)
            #expect(try await world.count("campaign_recipients") == 5)
            #expect(try store.list().map(\.campaign.importedAt) == [Self.t0.addingTimeInterval(60)])
            // Bob opens this time and the unknown address is gone: Globex engaged more, Acme did not.
            var later = Self.recipients
            later[3] = RecipientEngagement(email: "bob@globex.example", opens: 1)
            later.removeLast()
            let third = try store.importCampaigns(
                Self.report(later), file: "b.csv", domainOf: Self.domainOf, at: Self.t0.addingTimeInterval(120))
            #expect(third.campaigns.map(\.outcome) == ["replaced"] && third.recipients == 4)
            #expect(try await world.count("campaign_recipients") == 4)
            #expect(try other.list().map(\.counts) == [Self.counts(later)])
            #expect(
                try await Self.events(world) == [
                    "campaign.imported -", "campaign.engaged acme", "campaign.engaged globex",
                    "campaign.imported -",
                    "campaign.imported -", "campaign.engaged globex",
                ])
        }
    }

    @Test("an import with a refused row stores nothing, not even its other campaigns", arguments: StoreBackend.allCases)
    func allOrNothing(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world async throws in
            let store = world.first.campaigns
            // The second campaign lists one address twice, in two cases: the store's unique key refuses it.
            let entries = Self.report() + [
                CampaignImportEntry(
                    campaign: Self.campaign("hubspot:2", name: "Autumn"),
                    recipients: [
                        RecipientEngagement(email: "twice@acme.example"), RecipientEngagement(email: "TWICE@acme.example"),
                    ])
            ]
            #expect(throws: (any Error).self) {
                try store.importCampaigns(entries, file: "bad.csv", domainOf: Self.domainOf, at: Self.t0)
            }
            #expect(try store.list().isEmpty)
            #expect(try await world.count("campaign_recipients") == 0)
            #expect(try await Self.events(world).isEmpty)
        }
    }

    @Test(
        "of imports of one report racing over two handles, one creates the campaign and the others replace it",
        arguments: StoreBackend.allCases)
    func importsRace(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            let outcomes = await OnThreads.values(4) { index in
                Result {
                    try world.handles[index % 2].campaigns.importCampaigns(
                        Self.report(), file: "race.csv", domainOf: Self.domainOf, at: Self.t0)
                }
            }
            let done = outcomes.compactMap { try? $0.get() }
            try #require(done.count == 4, "\(outcomes)")
            #expect(done.flatMap { $0.campaigns.map(\.outcome) }.sorted() == ["created", "replaced", "replaced", "replaced"])
            #expect(Set(done.flatMap { $0.campaigns.map(\.id) }).count == 1)
            #expect(try world.first.campaigns.list().count == 1)
            #expect(try await world.count("campaign_recipients") == 5)
            let events = try await Self.events(world)
            #expect(events.filter { $0.hasPrefix("campaign.imported") }.count == 4)
            #expect(events.filter { $0.hasPrefix("campaign.engaged") }.sorted() == [
                "campaign.engaged acme", "campaign.engaged globex",
            ])
        }
    }
}
