/// What `ClientMatcher` needs to know about clients, contacts and the account team, read from a store.
///
/// Kept this small so the matching rules stay pure and testable with an in-memory directory; the
/// SQLite store (`InboundEmailRepository`) implements it with indexed lookups.
public protocol ClientEmailDirectory: Sendable {
    /// Contacts whose email address equals `address` (case-insensitively), each with its client.
    func contacts(withEmail address: String) throws -> [DirectoryContact]

    /// Clients whose `domain` equals one of `domains` (case-insensitively).
    func clients(withDomains domains: [String]) throws -> [Client]

    /// The email domains of the account team's own users: mail from these is outbound, and is matched
    /// on its recipients instead of its sender.
    func teamDomains() throws -> Set<String>
}

/// A contact found by its email address, with the client it belongs to.
public struct DirectoryContact: Sendable, Hashable {
    public var client: Client
    public var contact: Contact

    public init(client: Client, contact: Contact) {
        self.client = client
        self.contact = contact
    }
}
