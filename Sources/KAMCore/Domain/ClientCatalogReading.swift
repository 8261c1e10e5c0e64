/// The store's lists of clients and users, and its row counts: what the services read besides a client's snapshot.
/// `KAMStore.ClientStore` implements it over SQLite and `KAMPostgres.PostgresClientMemory` over PostgreSQL, with the
/// same answers in the same order (`ClientMemoryConformanceTests`).
public protocol ClientCatalogReading: Sendable {
    /// The client with that id, or nil.
    func client(id: String) throws -> Client?

    /// Every client, by name (ASCII letters compared without case, then by id).
    func listClients() throws -> [Client]

    /// The user with this id, else with this email (any case), or nil.
    func user(id: String) throws -> User?

    /// Every user, by name, then by id.
    func listUsers() throws -> [User]

    /// How many rows each table of client memory holds.
    func counts() throws -> StoreCounts
}
