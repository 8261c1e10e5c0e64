import Foundation
import GRDB
import KAMCore

extension CampaignRepository {
    /// Stores a report's campaigns in one write transaction (`CampaignImport`), the indexes no statement of it reads
    /// dropped and built again before the commit when the report is large (`CampaignImporter.deferIndexes`).
    /// - Throws: `StoreError` (`.busy` when another process kept the write lock).
    public func importCampaigns(
        _ entries: [CampaignImportEntry], file: String, domainOf: (String) -> RecipientLinker.Domain, at now: Date
    ) throws -> CampaignImportSummary {
        do {
            return try store.writeNoting("campaign import of \(file)") { db in
                let rowsComing = entries.reduce(0) { $0 + $1.recipients.count }
                let deferred = try CampaignImporter.deferIndexes(db, rowsComing: rowsComing)
                let summary = try CampaignImport.run(
                    entries, file: file, linker: try Self.linker(db), domainOf: domainOf, at: now,
                    storedID: { external in
                        try db.cachedStatement(sql: "SELECT id FROM campaigns WHERE external_id = ?")
                            .fetchInt64(storing: [external])
                    },
                    engagedBefore: { id in
                        try Self.engagedClients(db, campaignID: id, links: false, covers: { _ in true }).map(\.client)
                    },
                    replace: { id, campaign, counts in
                        try db.cachedStatement(sql: "DELETE FROM campaign_recipients WHERE campaign_id = ?").execute(storing: [id])
                        try db.cachedStatement(
                            sql: """
                                UPDATE campaigns SET name = ?, vendor = ?, sent_at = ?, subject = ?, segment = ?, imported_at = ?,
                                recipients = ?, sends = ?, bounces = ?, opens = ?, clicks = ?, unsubscribes = ?, replies = ? WHERE id = ?
                                """
                        ).execute(storing: Self.values(campaign, counts) + [id])
                    },
                    insert: { campaign, counts in
                        try db.cachedStatement(
                            sql: """
                                INSERT INTO campaigns (name, vendor, sent_at, subject, segment, imported_at, recipients, sends, bounces,
                                opens, clicks, unsubscribes, replies, external_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                                """
                        ).execute(storing: Self.values(campaign, counts) + [campaign.externalID])
                        return db.lastInsertedRowID
                    },
                    insertRecipients: { campaignID, rows in
                        let insert = try db.cachedStatement(
                            sql: """
                                INSERT INTO campaign_recipients (campaign_id, email, contact_id, client_id, sent, opens, clicks,
                                bounced, unsubscribed, replied, clicked_urls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                                """)
                        for row in rows {
                            let recipient = row.engagement
                            try insert.execute(storing: [
                                campaignID, recipient.email, row.contactID, row.clientID, recipient.sent, recipient.opens,
                                recipient.clicks, recipient.bounced, recipient.unsubscribed, recipient.replied, row.clickedURLs,
                            ])
                        }
                    },
                    append: { _ = try EventLog.append(db, $0) })
                try deferred.restore(in: db)
                return summary
            }
        } catch let error as DatabaseError {
            if let busy = ClientStore.busyError(error, path: store.path) { throw busy }
            throw StoreError(.cannotOpen, "importing \(file) failed in the database: \(error.message ?? "\(error)")", underlying: error)
        }
    }

    /// Every contact with an email and every client with a domain, in id order.
    static func linker(_ db: Database) throws -> RecipientLinker {
        var linker = RecipientLinker()
        try db.cachedStatement(sql: "SELECT id, client_id, email, role FROM contacts WHERE email IS NOT NULL ORDER BY id")
            .forEachRow(storing: []) { row in
                guard let email = row.text(2), let client = row.text(1) else { return }
                linker.addContact(id: row.int64(0), clientID: client, email: email, role: row.text(3))
            }
        try db.cachedStatement(sql: "SELECT id, domain FROM clients WHERE domain IS NOT NULL ORDER BY id").forEachRow(storing: []) { row in
            guard let id = row.text(0), let domain = row.text(1) else { return }
            linker.addClient(id: id, domain: domain)
        }
        return linker
    }

    /// A campaign row's values, in the order of the import's INSERT and UPDATE (the id or external id last).
    private static func values(_ campaign: Campaign, _ counts: CampaignCounts) -> [(any DatabaseValueConvertible)?] {
        [
            campaign.name, campaign.vendor.rawValue, campaign.sentAt.timeIntervalSince1970, campaign.subject, campaign.segment,
            campaign.importedAt.timeIntervalSince1970, counts.recipients, counts.sends, counts.bounces, counts.opens,
            counts.clicks, counts.unsubscribes, counts.replies,
        ]
    }
}
