import Foundation
import GRDB
import KAMCore

/// The writes of one campaign import, inside its transaction: each campaign's row, its recipients and its events.
struct CampaignWriting {
    let db: Database
    var linker: RecipientLinker
    let now: Date
    /// Clients that engaged with any campaign of the file.
    private(set) var engagedClients: Set<String> = []

    init(db: Database, linker: RecipientLinker, now: Date) {
        self.db = db
        self.linker = linker
        self.now = now
    }

    mutating func write(_ entry: CampaignExport.Entry, into summary: inout CampaignImportSummary) throws {
        var campaign = entry.campaign
        campaign.importedAt = now
        var counts = CampaignCounts()
        for recipient in entry.recipients { counts.add(recipient) }
        let values: [(any DatabaseValueConvertible)?] = [
            campaign.name, campaign.vendor.rawValue, campaign.sentAt.timeIntervalSince1970, campaign.subject, campaign.segment,
            now.timeIntervalSince1970, counts.recipients, counts.sends, counts.bounces, counts.opens, counts.clicks,
            counts.unsubscribes, counts.replies,
        ]
        var before: [String: EngagedClient] = [:]
        let existing = try db.cachedStatement(sql: "SELECT id FROM campaigns WHERE external_id = ?").fetchInt64(storing: [campaign.externalID])
        if let existing {
            campaign.id = existing
            before = try CampaignRepository.engagedClients(db, campaignID: existing, links: false, covers: { _ in true })
                .reduce(into: [:]) { $0[$1.client.clientID] = $1.client }
            try db.cachedStatement(sql: "DELETE FROM campaign_recipients WHERE campaign_id = ?").execute(storing: [existing])
            try db.cachedStatement(
                sql: """
                    UPDATE campaigns SET name = ?, vendor = ?, sent_at = ?, subject = ?, segment = ?, imported_at = ?, recipients = ?,
                    sends = ?, bounces = ?, opens = ?, clicks = ?, unsubscribes = ?, replies = ? WHERE id = ?
                    """
            ).execute(storing: values + [existing])
        } else {
            try db.cachedStatement(
                sql: """
                    INSERT INTO campaigns (name, vendor, sent_at, subject, segment, imported_at, recipients, sends, bounces, opens,
                    clicks, unsubscribes, replies, external_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(storing: values + [campaign.externalID])
            campaign.id = db.lastInsertedRowID
        }
        let campaignID = campaign.id
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO campaign_recipients (campaign_id, email, contact_id, client_id, sent, opens, clicks, bounced, unsubscribed,
                replied, clicked_urls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var engaged: [String: EngagedClient] = [:]
        for (recipient, key) in zip(entry.recipients, entry.keys) {
            var contactID: Int64?
            var clientID: String?
            var decisionMaker = false
            switch linker.link(lowercased: key) {
            case .contact(let contact):
                (contactID, clientID, decisionMaker) = (contact.id, contact.clientID, contact.isDecisionMaker)
                summary.linkedToContacts += 1
            case .domain(let client):
                clientID = client
                summary.linkedByDomain += 1
            case .freeMail:
                summary.freeMail += 1
                summary.unlinked += 1
            case .none:
                summary.unlinked += 1
            }
            try insert.execute(storing: [
                campaignID, recipient.email, contactID, clientID, recipient.sent, recipient.opens, recipient.clicks, recipient.bounced,
                recipient.unsubscribed, recipient.replied, recipient.clickedURLs.isEmpty ? nil : recipient.clickedURLs.joined(separator: "\n"),
            ])
            if let clientID {
                engaged[clientID, default: EngagedClient(clientID: clientID, clientName: "")].add(recipient, decisionMaker: decisionMaker)
            }
        }
        summary.recipients += entry.recipients.count
        let outcome = existing == nil ? "created" : "replaced"
        summary.campaigns.append(.init(id: campaignID, name: campaign.name, outcome: outcome, recipients: entry.recipients.count))
        _ = try EventLog.append(db, .campaignImported(campaign, counts: counts, outcome: outcome, at: now))
        for clientID in engaged.keys.sorted() {
            let client = engaged[clientID]!
            guard client.isEngaged else { continue }
            engagedClients.insert(clientID)
            if let earlier = before[clientID], !client.engagedMore(than: earlier) { continue }
            _ = try EventLog.append(db, .campaignEngaged(campaignID: campaignID, client, at: now))
        }
    }
}
