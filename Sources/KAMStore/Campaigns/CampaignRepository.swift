import Foundation
import GRDB
import KAMCore

/// The imported campaigns in the store, the core's `CampaignStoring` on SQLite: the list with each one's counts, one
/// campaign's report, and the clients that engaged; an import (`CampaignRepository+Import.swift`) is one transaction,
/// exclusive under SQLite's single writer.
public struct CampaignRepository: CampaignStoring {
    let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    static let columns = """
        id, external_id, name, vendor, sent_at, subject, segment, imported_at, recipients, sends, bounces, opens, clicks,
        unsubscribes, replies
        """

    /// Every campaign with its counts, newest first.
    public func list() throws -> [CampaignSummary] {
        try store.writer.read { db in
            var summaries: [CampaignSummary] = []
            try db.cachedStatement(sql: "SELECT \(Self.columns) FROM campaigns ORDER BY sent_at DESC, id DESC").forEachRow(storing: []) {
                summaries.append(Self.summary($0))
            }
            return summaries
        }
    }

    /// Campaign `id` with its links and the engaged clients `covers` (the reader's scope, by the client's owner) lets
    /// through; nil when there is no such campaign.
    public func report(id: Int64, covers: @escaping (String?) -> Bool) throws -> CampaignReport? {
        try store.writer.read { db in
            guard let summary = try db.cachedStatement(sql: "SELECT \(Self.columns) FROM campaigns WHERE id = ?").fetchFirst(storing: [id], Self.summary)
            else { return nil }
            var tally = CampaignReportTally()
            try db.cachedStatement(
                sql: "SELECT clicked_urls, \(Self.engagementColumns) FROM campaign_recipients r WHERE campaign_id = ?"
            ).forEachRow(storing: [id]) { row in
                tally.add(Self.engagement(row, from: 1), clickedURLs: row.text(0))
            }
            try Self.engagedClients(db, campaignID: id, into: &tally, covers: covers)
            return tally.report(summary)
        }
    }

    /// The clients of campaign `campaignID` whose people engaged, among those `covers` lets through (by owner), with
    /// how many of their recipients engaged; without their clicked links when `links` is false (an import comparing
    /// a campaign's engagement before and after does not read them).
    static func engagedClients(
        _ db: Database, campaignID: Int64, links: Bool = true, covers: (String?) -> Bool
    ) throws -> [(client: EngagedClient, engagedRecipients: Int)] {
        var tally = CampaignReportTally()
        try engagedClients(db, campaignID: campaignID, links: links, into: &tally, covers: covers)
        return tally.engagedClients
    }

    /// Counts campaign `campaignID`'s recipients linked to a client `covers` lets through into `tally`.
    static func engagedClients(
        _ db: Database, campaignID: Int64, links: Bool = true, into tally: inout CampaignReportTally,
        covers: (String?) -> Bool
    ) throws {
        try db.cachedStatement(
            sql: """
                SELECT r.client_id, c.name, c.owner_id, k.role, r.clicked_urls, \(Self.engagementColumns)
                FROM campaign_recipients r JOIN clients c ON c.id = r.client_id LEFT JOIN contacts k ON k.id = r.contact_id
                WHERE r.campaign_id = ?
                """
        ).forEachRow(storing: [campaignID]) { row in
            guard let clientID = row.text(0), covers(row.text(2)) else { return }
            var recipient = Self.engagement(row, from: 5)
            if links { recipient.clickedURLs = row.text(4).map { $0.split(separator: "\n").map(String.init) } ?? [] }
            tally.add(
                recipient, clientID: clientID, clientName: row.text(1),
                decisionMaker: row.text(3) == ContactRole.decisionMaker.rawValue)
        }
    }

    /// A recipient's engagement columns, read by `engagement(_:from:)` (the `r.` alias: `campaign_recipients`).
    static let engagementColumns = "r.sent, r.opens, r.clicks, r.bounced, r.unsubscribed, r.replied"

    /// What a recipient did, from `engagementColumns` starting at column `first` (its address left empty).
    static func engagement(_ row: StoredRow, from first: Int) -> RecipientEngagement {
        RecipientEngagement(
            email: "", sent: row.int64(first) != 0, opens: Int(row.int64(first + 1)), clicks: Int(row.int64(first + 2)),
            bounced: row.int64(first + 3) != 0, unsubscribed: row.int64(first + 4) != 0, replied: row.int64(first + 5) != 0)
    }

    static func summary(_ row: StoredRow) -> CampaignSummary {
        let campaign = Campaign(
            id: row.int64(0), externalID: row.text(1) ?? "", name: row.text(2) ?? "",
            vendor: row.text(3).flatMap(CampaignVendor.init(rawValue:)) ?? .mailchimp, sentAt: Date(timeIntervalSince1970: row.double(4)),
            subject: row.text(5), segment: row.text(6), importedAt: Date(timeIntervalSince1970: row.double(7)))
        let counts = CampaignCounts(
            recipients: Int(row.int64(8)), sends: Int(row.int64(9)), bounces: Int(row.int64(10)), opens: Int(row.int64(11)),
            clicks: Int(row.int64(12)), unsubscribes: Int(row.int64(13)), replies: Int(row.int64(14)))
        return CampaignSummary(campaign: campaign, counts: counts)
    }
}


extension CampaignRepository {
    /// The engaged recipients (opened, clicked or replied) of `clientIDs` in campaigns sent since `since`, by client,
    /// newest campaign first: what a snapshot (`ClientSnapshot.campaignTouches`) and the rules' facts read.
    static func touches(_ db: Database, clientIDs: [String], since: Date) throws -> [String: [CampaignTouch]] {
        var touches: [String: [CampaignTouch]] = [:]
        try db.cachedStatement(
            sql: """
                SELECT r.client_id, r.campaign_id, c.sent_at, k.role, r.opens, r.clicks, r.replied, r.clicked_urls
                FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id LEFT JOIN contacts k ON k.id = r.contact_id
                WHERE r.client_id IN (SELECT value FROM json_each(?)) AND c.sent_at >= ? AND r.sent AND NOT r.bounced
                AND (r.opens > 0 OR r.clicks > 0 OR r.replied)
                ORDER BY c.sent_at DESC, r.campaign_id DESC, r.id
                """
        ).forEachRow(storing: [JSONValue.array(clientIDs.map(JSONValue.string)).compactJSONText, since.timeIntervalSince1970]) { row in
            guard let clientID = row.text(0) else { return }
            touches[clientID, default: []].append(
                CampaignTouch(
                    campaignID: row.int64(1), sentAt: Date(timeIntervalSince1970: row.double(2)),
                    decisionMaker: row.text(3) == ContactRole.decisionMaker.rawValue, opened: row.int64(4) > 0 || row.int64(5) > 0,
                    clicked: row.int64(5) > 0,
                    replied: row.int64(6) != 0, clickedURLs: row.text(7).map { $0.split(separator: "\n").map(String.init) } ?? []))
        }
        return touches
    }
}

extension CampaignRepository {
    /// The counts of campaign `id`'s recipients by their client's tier (`enterprise clients`, ...), then `no client`;
    /// nil when there is no such campaign.
    public func segments(id: Int64) throws -> [(name: String, counts: CampaignCounts)]? {
        try store.writer.read { db in
            guard try db.cachedStatement(sql: "SELECT 1 FROM campaigns WHERE id = ?").fetchInt64(storing: [id]) != nil else { return nil }
            var byTier: [String: CampaignCounts] = [:]
            try db.cachedStatement(
                sql: """
                    SELECT c.tier, \(Self.engagementColumns)
                    FROM campaign_recipients r LEFT JOIN clients c ON c.id = r.client_id WHERE r.campaign_id = ?
                    """
            ).forEachRow(storing: [id]) { row in
                let recipient = Self.engagement(row, from: 1)
                byTier[row.text(0).map { "\($0) clients" } ?? "no client", default: CampaignCounts()].add(recipient)
            }
            return CampaignReportTally.segments(byTier)
        }
    }
}
