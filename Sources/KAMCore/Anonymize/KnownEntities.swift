/// Names, emails and phone numbers the store knows (clients, contacts, users), matched on top of the
/// general detectors so that a known client's name is always found, even where the word lists miss it.
///
/// A plain value, so KAMCore needs no store: the caller reads the store and passes this in.
public struct KnownEntities: Sendable, Hashable {
    public var people: [String]
    public var organizations: [String]
    public var emails: [String]
    public var phones: [String]
    public var domains: [String]

    public init(
        people: [String] = [], organizations: [String] = [], emails: [String] = [], phones: [String] = [],
        domains: [String] = []
    ) {
        self.people = people
        self.organizations = organizations
        self.emails = emails
        self.phones = phones
        self.domains = domains
    }

    /// Everything that names the given clients, their contacts and the users.
    public init(clients: [Client], contacts: [Contact], users: [User]) {
        self.init()
        for client in clients {
            organizations.append(client.name)
            if let domain = client.domain, !domain.isEmpty { domains.append(domain) }
        }
        for contact in contacts {
            people.append(contact.name)
            if let email = contact.email { emails.append(email) }
            if let phone = contact.phone { phones.append(phone) }
        }
        for user in users {
            people.append(user.name)
            emails.append(user.email)
        }
    }

    public var isEmpty: Bool {
        people.isEmpty && organizations.isEmpty && emails.isEmpty && phones.isEmpty && domains.isEmpty
    }
}
