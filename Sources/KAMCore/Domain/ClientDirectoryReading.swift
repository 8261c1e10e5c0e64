/// What the client directory reads besides a client's memory (`ClientMemoryReading`): the search box, a client's
/// communications timeline and the latest health band of every client. `KAMStore.ClientStore` on SQLite,
/// `KAMPostgres.PostgresClientMemory` on PostgreSQL; `ClientService` and `TeamAnalysisService` reach it through
/// `Runtime.clientDirectory`.
///
/// Each call reads one consistent state of the store (one read transaction), so a timeline page's activities and
/// emails agree.
///
/// For example:
/// ```swift
/// let found = try directory.findClients(matching: "acme", limit: 20)
/// let page = try directory.timeline(clientID: "acme", offset: 0, limit: 25)
/// ```
public protocol ClientDirectoryReading: Sendable {
    /// Clients whose id, name, domain, external id, or a contact's name or email contains `query` (ASCII letters in
    /// any case; `%`, `_` and `\` match themselves), by name in any case then id, at most `limit`.
    func findClients(matching query: String, limit: Int) throws -> [Client]

    /// A page of client `clientID`'s timeline, newest first (ties: activities before emails, then the larger id
    /// first): its activities and the inbound emails stored for it that made no activity, `limit` entries after the
    /// first `offset`.
    func timeline(clientID: String, offset: Int, limit: Int) throws -> [ClientTimelineEntry]

    /// The band of each client's latest stored health score (ties: the last stored); clients never scored are absent.
    func latestHealthBands() throws -> [String: HealthBand]
}
