/// Everyone a store knows, for an export.
public struct ExportDirectoryEntries: Sendable, Equatable {
    public var clients: [Client]
    public var contacts: [Contact]
    public var users: [User]

    public init(clients: [Client], contacts: [Contact], users: [User]) {
        self.clients = clients
        self.contacts = contacts
        self.users = users
    }
}
