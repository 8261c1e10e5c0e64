import Foundation

/// Where imported campaigns are kept: `CampaignRepository` on SQLite, `PostgresCampaignStore` on PostgreSQL.
///
/// Both behave alike (`CampaignStoreConformanceTests`): an import is all or nothing, with its `campaign.imported` and
/// `campaign.engaged` events in its transaction, and a campaign imported again (the same external id) has its
/// recipients replaced; of two imports of one report at once, by two processes, one creates each campaign and the
/// other replaces it, one `campaign.engaged` a client.
///
/// For example:
/// ```swift
/// let summary = try campaigns.importCampaigns(entries, file: "report.csv", domainOf: { _ in .none }, at: now)
/// let report = try campaigns.report(id: summary.campaigns[0].id, covers: { _ in true })
/// ```
public protocol CampaignStoring: Sendable {
    /// Every campaign with its counts, newest first (send time, then id).
    func list() throws -> [CampaignSummary]

    /// Campaign `id` with its links and the engaged clients `covers` (the reader's scope, by the client's owner) lets
    /// through; nil when there is no such campaign.
    func report(id: Int64, covers: @escaping (String?) -> Bool) throws -> CampaignReport?

    /// The counts of campaign `id`'s recipients by their client's tier (`enterprise clients`, ...), then `no client`;
    /// nil when there is no such campaign.
    func segments(id: Int64) throws -> [(name: String, counts: CampaignCounts)]?

    /// Stores the entries' campaigns in one transaction (`CampaignImport`): new ones inserted, known ones (by external
    /// id) updated with their recipients replaced, each recipient linked (`RecipientLinker`; `domainOf` says what an
    /// email host's company is), with the events. `file` names the report in the summary.
    func importCampaigns(
        _ entries: [CampaignImportEntry], file: String, domainOf: (String) -> RecipientLinker.Domain, at now: Date
    ) throws -> CampaignImportSummary
}
