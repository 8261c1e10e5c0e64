import KAMCore
import Synchronization

/// An `EmailIntakeStore` held in arrays: it records what email intake asked it to store, no database needed.
///
/// It answers like the SQLite store: contacts and domains match case-insensitively, a second email
/// with a Message-ID already stored is a `.duplicate` of the first (nothing written), and a stored
/// record's activity and task ids are made up (activity 100, tasks 200, 201, ...).
///
/// ```swift
/// let store = InMemoryEmailIntakeStore(clients: [acme], contacts: [jane], users: [maria])
/// let match = try ClientMatcher(directory: store).match(message)   // or EmailIntake(store: store, ...)
/// #expect(store.records.isEmpty)
/// ```
public final class InMemoryEmailIntakeStore: EmailIntakeStore {
    public let clients: [Client]
    public let contacts: [Contact]
    public let users: [User]
    private let state = Mutex<(records: [EmailIntakeRecord], transitions: [LeadTransition])>(([], []))

    public init(clients: [Client] = [], contacts: [Contact] = [], users: [User] = []) {
        self.clients = clients
        self.contacts = contacts
        self.users = users
    }

    /// The records stored so far, in order (duplicates are not among them).
    public var records: [EmailIntakeRecord] { state.withLock { $0.records } }
    /// The lead transitions applied so far, in order.
    public var transitions: [LeadTransition] { state.withLock { $0.transitions } }

    public func contacts(withEmail address: String) throws -> [DirectoryContact] {
        contacts.filter { $0.email?.lowercased() == address.lowercased() }.compactMap { contact in
            clients.first { $0.id == contact.clientID }.map { DirectoryContact(client: $0, contact: contact) }
        }
    }

    public func clients(withDomains domains: [String]) throws -> [Client] {
        let wanted = Set(domains.map { $0.lowercased() })
        return clients.filter { $0.domain.map { wanted.contains($0.lowercased()) } ?? false }
    }

    public func teamDomains() throws -> Set<String> { Set(users.map { EmailAddress(address: $0.email).domain }) }

    public func containsEmail(messageID: String) throws -> Bool {
        state.withLock { $0.records.contains { $0.messageID == messageID } }
    }

    public func store(_ record: EmailIntakeRecord) throws -> EmailIntakeStoreResult {
        state.withLock { state in
            if let index = state.records.firstIndex(where: { $0.messageID == record.messageID }) {
                return .duplicate(id: Int64(index + 1))
            }
            state.records.append(record)
            return .stored(
                id: Int64(state.records.count), activityID: record.activity == nil ? nil : 100,
                taskIDs: record.tasks.indices.map { Int64(200 + $0) })
        }
    }

    public func apply(_ transition: LeadTransition) throws {
        state.withLock { $0.transitions.append(transition) }
    }
}
