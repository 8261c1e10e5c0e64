import Foundation
import KAMCore

extension CampaignStoring {
    /// Stores a report's campaigns (`importCampaigns(_:file:domainOf:at:)`), what an email host's company is being what
    /// `domains` says of it (none for free mail).
    ///
    /// For example:
    ///
    ///     let summary = try campaigns.importCampaigns(export, domains: try CompanyDomains.bundled(), at: now)
    public func importCampaigns(_ export: CampaignExport, domains: CompanyDomains, at now: Date) throws
        -> CampaignImportSummary
    {
        try importCampaigns(
            export.campaigns.map { CampaignImportEntry(campaign: $0.campaign, recipients: $0.recipients, keys: $0.keys) },
            file: export.file,
            domainOf: { host in
                switch domains.owner(ofHost: host) {
                case .company(let domain): .company(domain)
                case .freeMail: .freeMail
                case .publicSuffix, .invalid: RecipientLinker.Domain.none
                }
            }, at: now)
    }
}
