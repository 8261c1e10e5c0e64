import Foundation
import KAMCore
import PostgresNIO

extension PostgresCampaignStore {
    /// Stores a report's campaigns in one transaction (`CampaignImport`), under the import's advisory lock.
    public func importCampaigns(
        _ entries: [CampaignImportEntry], file: String, domainOf: (String) -> RecipientLinker.Domain, at now: Date
    ) throws -> CampaignImportSummary {
        try store.transaction(readOnly: false) { session in
            try PostgresImportTarget.holdLock(session, schema: store.configuration.schema, before: "importing \(file)")
            return try CampaignImport.run(
                entries, file: file, linker: try Self.linker(session), domainOf: domainOf, at: now,
                storedID: { external in
                    try session.query(
                        "SELECT id FROM campaigns WHERE external_id = \(external)", doing: "finding campaign \(external)"
                    ).rows.first?.decode(Int64.self)
                },
                engagedBefore: { id in
                    var tally = CampaignReportTally()
                    try Self.engagedClients(session, campaignID: id, links: false, into: &tally, covers: { _ in true })
                    return tally.engagedClients.map(\.client)
                },
                replace: { id, campaign, counts in
                    try session.query(
                        "DELETE FROM campaign_recipients WHERE campaign_id = \(id)",
                        doing: "removing the recipients of campaign \(id)")
                    try session.query(
                        """
                        UPDATE campaigns SET name = \(campaign.name), vendor = \(campaign.vendor.rawValue),
                          sent_at = \(campaign.sentAt.timeIntervalSince1970), subject = \(campaign.subject),
                          segment = \(campaign.segment), imported_at = \(campaign.importedAt.timeIntervalSince1970),
                          recipients = \(counts.recipients), sends = \(counts.sends), bounces = \(counts.bounces),
                          opens = \(counts.opens), clicks = \(counts.clicks), unsubscribes = \(counts.unsubscribes),
                          replies = \(counts.replies)
                        WHERE id = \(id)
                        """, doing: "updating campaign \(id)")
                },
                insert: { campaign, counts in
                    let rows = try session.query(
                        """
                        INSERT INTO campaigns (name, vendor, sent_at, subject, segment, imported_at, recipients, sends,
                          bounces, opens, clicks, unsubscribes, replies, external_id)
                        VALUES (\(campaign.name), \(campaign.vendor.rawValue), \(campaign.sentAt.timeIntervalSince1970),
                          \(campaign.subject), \(campaign.segment), \(campaign.importedAt.timeIntervalSince1970),
                          \(counts.recipients), \(counts.sends), \(counts.bounces), \(counts.opens), \(counts.clicks),
                          \(counts.unsubscribes), \(counts.replies), \(campaign.externalID))
                        RETURNING id
                        """, doing: "storing campaign \(campaign.externalID)")
                    guard let id = try rows.rows.first?.decode(Int64.self) else {
                        throw PostgresStoreError(.queryFailed, "the insert of campaign \(campaign.externalID) returned no id")
                    }
                    return id
                },
                insertRecipients: { campaignID, rows in
                    try Self.insertRecipients(session, campaignID: campaignID, rows)
                },
                append: { _ = try PostgresEventLog.append(session, $0) })
        }
    }

    /// Every contact with an email and every client with a domain, in id order (ids compare as bytes, as on SQLite).
    static func linker(_ session: PostgresSession) throws -> RecipientLinker {
        var linker = RecipientLinker()
        for row in try session.query(
            "SELECT id, client_id, email, role FROM contacts WHERE email IS NOT NULL ORDER BY id",
            doing: "reading the contacts' addresses"
        ).rows {
            let (id, clientID, email, role) = try row.decode((Int64, String, String, String).self)
            linker.addContact(id: id, clientID: clientID, email: email, role: role)
        }
        for row in try session.query(
            "SELECT id, domain FROM clients WHERE domain IS NOT NULL ORDER BY id", doing: "reading the clients' domains"
        ).rows {
            let (id, domain) = try row.decode((String, String).self)
            linker.addClient(id: id, domain: domain)
        }
        return linker
    }

    /// Stores a campaign's recipients in one statement: its columns as arrays, unnested into rows. A nullable
    /// column goes as its values and whether each is there (an array cannot hold NULL here).
    static func insertRecipients(
        _ session: PostgresSession, campaignID: Int64, _ rows: [CampaignImport.Recipient]
    ) throws {
        guard !rows.isEmpty else { return }
        let engagement = rows.map(\.engagement)
        let emails: [String] = engagement.map(\.email)
        let hasContact: [Bool] = rows.map { $0.contactID != nil }
        let contactIDs: [Int64] = rows.map { $0.contactID ?? 0 }
        let hasClient: [Bool] = rows.map { $0.clientID != nil }
        let clientIDs: [String] = rows.map { $0.clientID ?? "" }
        let sent: [Bool] = engagement.map(\.sent)
        let opens: [Int64] = engagement.map { Int64($0.opens) }
        let clicks: [Int64] = engagement.map { Int64($0.clicks) }
        let bounced: [Bool] = engagement.map(\.bounced)
        let unsubscribed: [Bool] = engagement.map(\.unsubscribed)
        let replied: [Bool] = engagement.map(\.replied)
        let hasURLs: [Bool] = rows.map { $0.clickedURLs != nil }
        let urls: [String] = rows.map { $0.clickedURLs ?? "" }
        try session.query(
            """
            INSERT INTO campaign_recipients (campaign_id, email, contact_id, client_id, sent, opens, clicks, bounced,
              unsubscribed, replied, clicked_urls)
            SELECT \(campaignID), email, CASE WHEN has_contact THEN contact_id END,
              CASE WHEN has_client THEN client_id END, sent, opens, clicks, bounced, unsubscribed, replied,
              CASE WHEN has_urls THEN urls END
            FROM unnest(\(emails), \(hasContact), \(contactIDs), \(hasClient), \(clientIDs), \(sent), \(opens),
              \(clicks), \(bounced), \(unsubscribed), \(replied), \(hasURLs), \(urls)) WITH ORDINALITY
              AS r (email, has_contact, contact_id, has_client, client_id, sent, opens, clicks, bounced, unsubscribed,
                replied, has_urls, urls, n)
            ORDER BY n
            """, doing: "storing the recipients of campaign \(campaignID)")
    }
}
