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
    let store: ClientStore
    let domains: CompanyDomains

    public init(store: ClientStore, domains: CompanyDomains) {
        self.store = store
        self.domains = domains
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
        do {
            return try store.writeNoting("campaign import of \(export.file)") { db in
                var writing = CampaignWriting(db: db, linker: try RecipientLinker(db: db, domains: domains), now: store.now())
                var summary = CampaignImportSummary(file: export.file)
                for entry in export.campaigns { try writing.write(entry, into: &summary) }
                summary.engagedClients = writing.engagedClients.count
                return summary
            }
        } catch let error as DatabaseError {
            if let busy = ClientStore.busyError(error, path: store.path) { throw busy }
            throw StoreError(.cannotOpen, "importing \(export.file) failed in the database: \(error.message ?? "\(error)")", underlying: error)
        }
    }
}
