import Foundation
import KAMCore
import PostgresNIO

/// Imported campaigns in a PostgreSQL database, as `CampaignRepository` keeps them in SQLite: the core's
/// `CampaignStoring`, shared by every process that opens the database, on the tables of `campaigns-v1`.
///
/// An import is exclusive across processes, as SQLite's single writer makes it: its transaction first takes the
/// imports' advisory lock (`PostgresImportTarget.holdLock`, keyed by the schema), held until it commits. So of two imports of one
/// report at once, the second finds each campaign the first created (by external id, after its commit) and replaces
/// its recipients, comparing its engagement with the first's, instead of inserting it again and failing on the unique
/// external id; a client that engaged has one `campaign.engaged` event. Every import appends its events in its
/// transaction (`PostgresEventLog`). Reads are one `REPEATABLE READ READ ONLY` transaction each.
///
/// For example:
///
///     let campaigns = PostgresCampaignStore(store: try await PostgresStore.open(configuration))
///     let summary = try campaigns.importCampaigns(entries, file: "report.csv", domainOf: { _ in .none }, at: now)
public struct PostgresCampaignStore: CampaignStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    static let columns = """
        id, external_id, name, vendor, sent_at, subject, segment, imported_at, recipients, sends, bounces, opens, clicks, \
        unsubscribes, replies
        """

    /// A recipient's engagement columns, read by `engagement(_:)` (the `r.` alias: `campaign_recipients`).
    static let engagementColumns = "r.sent, r.opens, r.clicks, r.bounced, r.unsubscribed, r.replied"

    public func list() throws -> [CampaignSummary] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                "SELECT \(unescaped: Self.columns) FROM campaigns ORDER BY sent_at DESC, id DESC",
                doing: "listing the campaigns"
            ).rows.map(Self.summary)
        }
    }

    public func report(id: Int64, covers: @escaping (String?) -> Bool) throws -> CampaignReport? {
        try store.transaction(readOnly: true) { session in
            guard
                let summary = try session.query(
                    "SELECT \(unescaped: Self.columns) FROM campaigns WHERE id = \(id)", doing: "reading campaign \(id)"
                ).rows.first.map(Self.summary)
            else { return nil }
            var tally = CampaignReportTally()
            for row in try session.query(
                """
                SELECT r.clicked_urls, \(unescaped: Self.engagementColumns) FROM campaign_recipients r
                WHERE r.campaign_id = \(id)
                """, doing: "reading the recipients of campaign \(id)"
            ).rows {
                let (urls, sent, opens, clicks, bounced, unsubscribed, replied) = try row.decode(
                    (String?, Bool, Int64, Int64, Bool, Bool, Bool).self)
                tally.add(
                    Self.engagement((sent, opens, clicks, bounced, unsubscribed, replied)), clickedURLs: urls)
            }
            try Self.engagedClients(session, campaignID: id, into: &tally, covers: covers)
            return tally.report(summary)
        }
    }

    public func segments(id: Int64) throws -> [(name: String, counts: CampaignCounts)]? {
        try store.transaction(readOnly: true) { session in
            guard
                try session.query("SELECT 1 FROM campaigns WHERE id = \(id)", doing: "reading campaign \(id)")
                    .rows.first != nil
            else { return nil }
            var byTier: [String: CampaignCounts] = [:]
            for row in try session.query(
                """
                SELECT c.tier, \(unescaped: Self.engagementColumns)
                FROM campaign_recipients r LEFT JOIN clients c ON c.id = r.client_id WHERE r.campaign_id = \(id)
                """, doing: "counting the recipients of campaign \(id) by tier"
            ).rows {
                let (tier, sent, opens, clicks, bounced, unsubscribed, replied) = try row.decode(
                    (String?, Bool, Int64, Int64, Bool, Bool, Bool).self)
                byTier[tier.map { "\($0) clients" } ?? "no client", default: CampaignCounts()]
                    .add(Self.engagement((sent, opens, clicks, bounced, unsubscribed, replied)))
            }
            return CampaignReportTally.segments(byTier)
        }
    }

    // MARK: - Rows

    /// Counts campaign `campaignID`'s recipients linked to a client `covers` lets through (by its owner) into
    /// `tally`; without their clicked links when `links` is false (an import comparing engagement before and after).
    static func engagedClients(
        _ session: PostgresSession, campaignID: Int64, links: Bool = true, into tally: inout CampaignReportTally,
        covers: (String?) -> Bool
    ) throws {
        for row in try session.query(
            """
            SELECT r.client_id, c.name, c.owner_id, k.role, r.clicked_urls, \(unescaped: Self.engagementColumns)
            FROM campaign_recipients r JOIN clients c ON c.id = r.client_id LEFT JOIN contacts k ON k.id = r.contact_id
            WHERE r.campaign_id = \(campaignID)
            """, doing: "reading the engaged clients of campaign \(campaignID)"
        ).rows {
            let (clientID, name, owner, role, urls, sent, opens, clicks, bounced, unsubscribed, replied) = try row.decode(
                (String, String, String?, String?, String?, Bool, Int64, Int64, Bool, Bool, Bool).self)
            guard covers(owner) else { continue }
            var recipient = engagement((sent, opens, clicks, bounced, unsubscribed, replied))
            if links { recipient.clickedURLs = urls.map { $0.split(separator: "\n").map(String.init) } ?? [] }
            tally.add(
                recipient, clientID: clientID, clientName: name, decisionMaker: role == ContactRole.decisionMaker.rawValue)
        }
    }

    /// What a recipient did, from `engagementColumns` (its address left empty).
    static func engagement(
        _ cells: (sent: Bool, opens: Int64, clicks: Int64, bounced: Bool, unsubscribed: Bool, replied: Bool)
    ) -> RecipientEngagement {
        RecipientEngagement(
            email: "", sent: cells.sent, opens: Int(cells.opens), clicks: Int(cells.clicks), bounced: cells.bounced,
            unsubscribed: cells.unsubscribed, replied: cells.replied)
    }

    /// A campaign with its counts, from a row of `columns`.
    static func summary(_ row: PostgresRow) throws -> CampaignSummary {
        let (
            id, externalID, name, vendor, sentAt, subject, segment, importedAt, recipients, sends, bounces, opens, clicks,
            unsubscribes, replies
        ) = try row.decode(
            (
                Int64, String, String, String, Double, String?, String?, Double, Int64, Int64, Int64, Int64, Int64,
                Int64, Int64
            ).self)
        // An unknown vendor reads as Mailchimp, as `CampaignRepository.summary` reads it.
        let campaign = Campaign(
            id: id, externalID: externalID, name: name, vendor: CampaignVendor(rawValue: vendor) ?? .mailchimp,
            sentAt: Date(timeIntervalSince1970: sentAt), subject: subject, segment: segment,
            importedAt: Date(timeIntervalSince1970: importedAt))
        let counts = CampaignCounts(
            recipients: Int(recipients), sends: Int(sends), bounces: Int(bounces), opens: Int(opens), clicks: Int(clicks),
            unsubscribes: Int(unsubscribes), replies: Int(replies))
        return CampaignSummary(campaign: campaign, counts: counts)
    }
}
