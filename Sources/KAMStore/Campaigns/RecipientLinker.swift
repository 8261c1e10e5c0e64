import Foundation
import GRDB
import KAMCore

/// Finds the contact and client of a campaign recipient's address: the contact with that email (the lowest id when
/// several have it), else the client of the address's registrable domain (`CompanyDomains`, as the CSV import places
/// rows without a company), never a client by a free-mail domain, nor when two clients show the same domain.
struct RecipientLinker {
    struct Contact {
        var id: Int64
        var clientID: String
        var isDecisionMaker: Bool
    }

    /// How a recipient was linked.
    enum Link {
        case contact(Contact)
        case domain(clientID: String)
        case freeMail
        case none
    }

    private var contacts: [String: Contact] = [:]
    /// Registrable domain → client id; nil for a domain two clients show.
    private var clientOfDomain: [String: String?] = [:]
    private var hosts: [Substring: Link] = [:]
    private let domains: CompanyDomains

    /// Reads every contact with an email and every client with a domain.
    init(db: Database, domains: CompanyDomains) throws {
        self.domains = domains
        try db.cachedStatement(sql: "SELECT id, client_id, email, role FROM contacts WHERE email IS NOT NULL ORDER BY id")
            .forEachRow(storing: []) { row in
                guard let email = row.text(2)?.lowercased(), let client = row.text(1), contacts[email] == nil else { return }
                contacts[email] = Contact(id: row.int64(0), clientID: client, isDecisionMaker: row.text(3) == ContactRole.decisionMaker.rawValue)
            }
        try db.cachedStatement(sql: "SELECT id, domain FROM clients WHERE domain IS NOT NULL ORDER BY id").forEachRow(storing: []) { row in
            guard let id = row.text(0), let domain = row.text(1)?.lowercased() else { return }
            if clientOfDomain[domain] == nil { clientOfDomain[domain] = .some(id) } else { clientOfDomain[domain] = .some(nil) }
        }
    }

    /// The link of an address already lowercased (`CampaignExport.Entry.keys`).
    mutating func link(lowercased lower: String) -> Link {
        if let contact = contacts[lower] { return .contact(contact) }
        guard let at = lower.lastIndex(of: "@") else { return .none }
        let host = lower[lower.index(after: at)...]
        if let known = hosts[host] { return known }
        let link: Link
        switch domains.owner(ofHost: String(host)) {
        case .company(let domain): link = (clientOfDomain[domain] ?? nil).map { .domain(clientID: $0) } ?? .none
        case .freeMail: link = .freeMail
        case .publicSuffix, .invalid: link = .none
        }
        hosts[host] = link
        return link
    }
}
