import Foundation
import KAMCore

extension SupportTicketStoring {
    /// Stores a help desk file's tickets (`importTickets(_:companyDomain:at:)`), a requester's company domain being
    /// what `domains` says of their email host (none for free mail).
    ///
    /// For example:
    ///
    ///     let outcome = try tickets.importTickets(file, domains: try CompanyDomains.bundled(), at: now)
    public func importTickets(_ file: TicketFile, domains: CompanyDomains, at now: Date) throws -> TicketImportOutcome {
        try importTickets(
            file.entries,
            companyDomain: { host in
                if case .company(let domain) = domains.owner(ofHost: host) { return domain }
                return nil
            }, at: now)
    }
}
