import Foundation

/// How an import of a campaign report goes, whichever store keeps it: each campaign the store already holds (by
/// external id) is updated and its recipients replaced, every other one inserted; each recipient is linked to a
/// contact and client (`RecipientLinker`), and each client whose people engaged appends a `campaign.engaged` event
/// (on a later import, only a client that engaged more). The stores (`CampaignRepository`, `PostgresCampaignStore`)
/// supply the reads and writes, inside their one transaction.
public enum CampaignImport {
    /// A recipient as stored: what it did, and its contact and client when linked.
    public struct Recipient: Sendable {
        public var engagement: RecipientEngagement
        public var contactID: Int64?
        public var clientID: String?

        /// The clicked links one a line, nil when none (the `clicked_urls` column).
        public var clickedURLs: String? {
            engagement.clickedURLs.isEmpty ? nil : engagement.clickedURLs.joined(separator: "\n")
        }
    }

    /// Imports `entries` at `now` and counts what it did.
    ///
    /// - Parameters:
    ///   - linker: the store's contacts and clients, read in the transaction.
    ///   - storedID: the id of the stored campaign with this external id, or nil.
    ///   - engagedBefore: the engaged clients of a stored campaign, before its recipients are replaced.
    ///   - replace: removes a stored campaign's recipients and writes its row again.
    ///   - insert: stores a new campaign's row and returns its id.
    ///   - insertRecipients: stores a campaign's recipients.
    ///   - append: appends an event in the transaction.
    public static func run(
        _ entries: [CampaignImportEntry], file: String, linker: RecipientLinker,
        domainOf: (String) -> RecipientLinker.Domain, at now: Date,
        storedID: (String) throws -> Int64?,
        engagedBefore: (Int64) throws -> [EngagedClient],
        replace: (_ id: Int64, _ campaign: Campaign, _ counts: CampaignCounts) throws -> Void,
        insert: (_ campaign: Campaign, _ counts: CampaignCounts) throws -> Int64,
        insertRecipients: (_ campaignID: Int64, [Recipient]) throws -> Void,
        append: (DomainEvent) throws -> Void
    ) throws -> CampaignImportSummary {
        var linker = linker
        var summary = CampaignImportSummary(file: file)
        var engagedClients: Set<String> = []
        for entry in entries {
            var campaign = entry.campaign
            campaign.importedAt = now
            var counts = CampaignCounts()
            for recipient in entry.recipients { counts.add(recipient) }
            var before: [String: EngagedClient] = [:]
            let existing = try storedID(campaign.externalID)
            if let existing {
                campaign.id = existing
                before = try engagedBefore(existing).reduce(into: [:]) { $0[$1.clientID] = $1 }
                try replace(existing, campaign, counts)
            } else {
                campaign.id = try insert(campaign, counts)
            }
            var rows: [Recipient] = []
            rows.reserveCapacity(entry.recipients.count)
            var engaged: [String: EngagedClient] = [:]
            for (recipient, key) in zip(entry.recipients, entry.keys) {
                var row = Recipient(engagement: recipient)
                var decisionMaker = false
                switch linker.link(lowercased: key, domainOf: domainOf) {
                case .contact(let contact):
                    (row.contactID, row.clientID, decisionMaker) = (contact.id, contact.clientID, contact.isDecisionMaker)
                    summary.linkedToContacts += 1
                case .domain(let client):
                    row.clientID = client
                    summary.linkedByDomain += 1
                case .freeMail:
                    summary.freeMail += 1
                    summary.unlinked += 1
                case .none:
                    summary.unlinked += 1
                }
                rows.append(row)
                if let clientID = row.clientID {
                    engaged[clientID, default: EngagedClient(clientID: clientID, clientName: "")]
                        .add(recipient, decisionMaker: decisionMaker)
                }
            }
            try insertRecipients(campaign.id, rows)
            summary.recipients += entry.recipients.count
            let outcome = existing == nil ? "created" : "replaced"
            summary.campaigns.append(
                .init(id: campaign.id, name: campaign.name, outcome: outcome, recipients: entry.recipients.count))
            try append(.campaignImported(campaign, counts: counts, outcome: outcome, at: now))
            for clientID in engaged.keys.sorted() {
                let client = engaged[clientID]!
                guard client.isEngaged else { continue }
                engagedClients.insert(clientID)
                if let earlier = before[clientID], !client.engagedMore(than: earlier) { continue }
                try append(.campaignEngaged(campaignID: campaign.id, client, at: now))
            }
        }
        summary.engagedClients = engagedClients.count
        return summary
    }
}
