/// Finds the contact and client of a campaign recipient's address: the contact with that email (the lowest id when
/// several have it), else the client of the address's registrable domain (as the CSV import places rows without a
/// company), never a client by a free-mail domain, nor when two clients show the same domain.
///
/// The store feeds it its contacts and clients in id order, inside the import's transaction (`CampaignImport`); what
/// a host's domain is comes from the caller (`CompanyDomains` in KAMStore), so both stores link alike.
public struct RecipientLinker {
    public struct Contact: Sendable, Hashable {
        public var id: Int64
        public var clientID: String
        public var isDecisionMaker: Bool
    }

    /// What an email host says about its company: a registrable domain, a free-mail provider, or nothing.
    public enum Domain: Sendable, Hashable {
        case company(String)
        case freeMail
        case none
    }

    /// How a recipient was linked.
    public enum Link {
        case contact(Contact)
        case domain(clientID: String)
        case freeMail
        case none
    }

    private var contacts: [String: Contact] = [:]
    /// Registrable domain → client id; nil for a domain two clients show.
    private var clientOfDomain: [String: String?] = [:]
    private var hosts: [Substring: Link] = [:]

    public init() {}

    /// Adds a contact with an email; the first added for an address (the lowest id) keeps it.
    public mutating func addContact(id: Int64, clientID: String, email: String, role: String?) {
        let email = email.lowercased()
        guard contacts[email] == nil else { return }
        contacts[email] = Contact(id: id, clientID: clientID, isDecisionMaker: role == ContactRole.decisionMaker.rawValue)
    }

    /// Adds a client with a domain; a domain two clients show links to neither.
    public mutating func addClient(id: String, domain: String) {
        let domain = domain.lowercased()
        if clientOfDomain[domain] == nil { clientOfDomain[domain] = .some(id) } else { clientOfDomain[domain] = .some(nil) }
    }

    /// The link of an address already lowercased (`CampaignImportEntry.keys`); `domainOf` says what its host is.
    public mutating func link(lowercased lower: String, domainOf: (String) -> Domain) -> Link {
        if let contact = contacts[lower] { return .contact(contact) }
        guard let at = lower.lastIndex(of: "@") else { return .none }
        let host = lower[lower.index(after: at)...]
        if let known = hosts[host] { return known }
        let link: Link
        switch domainOf(String(host)) {
        case .company(let domain): link = (clientOfDomain[domain] ?? nil).map { .domain(clientID: $0) } ?? .none
        case .freeMail: link = .freeMail
        case .none: link = .none
        }
        hosts[host] = link
        return link
    }
}
