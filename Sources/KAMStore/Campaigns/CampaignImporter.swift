import Foundation
import GRDB
import KAMCore

/// Imports an email tool's campaign report (`MailchimpCampaignReport`, `HubSpotEmailExport`) into `campaigns` and
/// `campaign_recipients`: the whole file in one transaction, or nothing when any row is refused (named `file:line`).
///
/// A campaign exported again (the same external id) has its recipients replaced by the new file's, so importing a
/// later report updates its counts. Each recipient is linked to a contact and client (`RecipientLinker`); each client
/// whose people engaged appends a `campaign.engaged` event (on a later import, only a client that engaged more).
///
/// For example:
///
///     let summary = try CampaignImporter(store: store, domains: try .bundled())
///         .importFile(at: "report.csv", vendor: .mailchimp)
///     print(summary.recipients, summary.linkedToContacts)
public struct CampaignImporter: Sendable {
    let campaigns: any CampaignStoring
    let domains: CompanyDomains
    let now: @Sendable () -> Date

    /// An importer into the store's own file, at its clock.
    public init(store: ClientStore, domains: CompanyDomains) {
        self.init(campaigns: CampaignRepository(store: store), domains: domains, now: store.now)
    }

    /// An importer into `campaigns` (SQLite's `CampaignRepository` or PostgreSQL's `PostgresCampaignStore`).
    public init(campaigns: any CampaignStoring, domains: CompanyDomains, now: @escaping @Sendable () -> Date) {
        self.campaigns = campaigns
        self.domains = domains
        self.now = now
    }

    /// Imports the report at `path`, read in `encoding`.
    /// - Throws: `ImportError` (unreadable, malformed, invalid rows or encoding: nothing stored), `StoreError` for
    ///   database failures (`.busy` when another process kept the write lock).
    public func importFile(at path: String, vendor: CampaignVendor, encoding: ImportEncoding = .utf8) throws -> CampaignImportSummary {
        guard let table = try ExportTable(path: path, encoding: encoding) else {
            throw ImportError(.unreadable, issues: [.init(file: path, message: "no such file; check the path")])
        }
        return try importExport(try Self.read(table, vendor: vendor))
    }

    /// Imports a report's bytes (an upload); `file` names it in error messages.
    /// - Throws: as `importFile`.
    public func importCSV(_ data: Data, file: String, vendor: CampaignVendor, encoding: ImportEncoding = .utf8) throws
        -> CampaignImportSummary
    {
        let table = try ExportTable(bytes: try encoding.utf8Bytes(data, file: file), file: file)
        return try importExport(try Self.read(table, vendor: vendor))
    }

    static func read(_ table: ExportTable, vendor: CampaignVendor) throws -> CampaignExport {
        let export = switch vendor {
        case .mailchimp: try MailchimpCampaignReport.read(table)
        case .hubspot: try HubSpotEmailExport.read(table)
        }
        guard !export.campaigns.isEmpty else {
            throw ImportError(.malformed, issues: [.init(file: table.file, line: 2, message: "the report has no recipient rows; export the campaign's recipients, not only its totals")])
        }
        return export
    }

    func importExport(_ export: CampaignExport) throws -> CampaignImportSummary {
        try campaigns.importCampaigns(export, domains: domains, at: now())
    }

    /// The indexes of `campaign_recipients` no statement of the import reads (it finds a campaign's recipients through
    /// the UNIQUE (campaign_id, email) index): by client and by contact.
    static let deferrableIndexes = ["campaign_recipients_on_client", "campaign_recipients_on_contact"]

    /// Drops `deferrableIndexes` for the writes, to be built again before the commit, when the file brings at least as
    /// many recipients as the table holds (`DeferredIndexes`).
    ///
    /// Why: each recipient's client and contact keys land at scattered places of their indexes, and so does each
    /// replaced recipient's deletion; with the indexes kept, those b-tree updates were most of the import's time
    /// (BENCHMARKS.md, "Campaign import"). Counted rather than estimated by the largest rowid: a report replaces its
    /// campaigns' recipients, so the rowids grow past the rows the table keeps.
    static func deferIndexes(_ db: Database, rowsComing: Int) throws -> DeferredIndexes {
        let held = try db.cachedStatement(sql: "SELECT count(*) FROM campaign_recipients").fetchInt64(storing: []) ?? 0
        guard rowsComing >= held else { return DeferredIndexes() }
        return try DeferredIndexes.drop(deferrableIndexes, of: "campaign_recipients", in: db)
    }
}
