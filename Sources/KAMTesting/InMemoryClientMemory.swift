import Foundation
import KAMCore

/// Client memory held in arrays: a `ClientMemoryReading` for tests and fixtures, no database needed.
///
/// It answers like the SQLite store: activities since the window start, newest first; only open deals;
/// only pending tasks; orders newest first; `lastInteractionAt` from every activity, whatever its age.
public struct InMemoryClientMemory: ClientMemoryReading {
    public var clients: [Client]
    public var users: [User]
    public var contacts: [Contact]
    public var memory: [MemoryItem]
    public var activities: [Activity]
    public var deals: [Deal]
    public var tasks: [ClientTask]
    public var orders: [Order]

    public init(
        clients: [Client] = [], users: [User] = [], contacts: [Contact] = [], memory: [MemoryItem] = [],
        activities: [Activity] = [], deals: [Deal] = [], tasks: [ClientTask] = [], orders: [Order] = []
    ) {
        self.clients = clients
        self.users = users
        self.contacts = contacts
        self.memory = memory
        self.activities = activities
        self.deals = deals
        self.tasks = tasks
        self.orders = orders
    }

    public func snapshot(clientID: String, activitiesSince: Date) throws -> ClientSnapshot? {
        guard let client = clients.first(where: { $0.id == clientID }) else { return nil }
        let all = activities.filter { $0.clientID == clientID }
        return ClientSnapshot(
            client: client,
            owner: client.ownerID.flatMap { owner in users.first { $0.id == owner } },
            contacts: contacts.filter { $0.clientID == clientID },
            memory: memory.filter { $0.clientID == clientID },
            activities: all.filter { $0.occurredAt >= activitiesSince }.sorted { $0.occurredAt > $1.occurredAt },
            openDeals: deals.filter { $0.clientID == clientID && $0.stage.isOpen },
            pendingTasks: tasks.filter { $0.clientID == clientID && $0.status.isPending },
            orders: orders.filter { $0.clientID == clientID }.sorted { $0.orderedAt > $1.orderedAt },
            lastInteractionAt: all.map(\.occurredAt).max())
    }

    /// Id, then exact name (case-insensitive), external id, contact email, email domain (the client's
    /// `domain` or its contacts' addresses); otherwise up to five suggestions ranked as the stores rank them
    /// (`ClientNameSuggestions`).
    public func resolveClient(_ query: String) throws -> ClientResolution {
        let needle = query.trimmingCharacters(in: .whitespaces)
        let lowered = needle.lowercased()
        if let client = clients.first(where: { $0.id == needle }) { return .found(client, matchedBy: .id) }
        let byName = clients.filter { $0.name.lowercased() == lowered }
        if let result = Self.resolution(byName, .name) { return result }
        let byExternal = clients.filter { $0.externalID != nil && $0.externalID == needle }
        if let result = Self.resolution(byExternal, .externalID) { return result }
        if lowered.contains("@") {
            let ids = Set(contacts.filter { $0.email?.lowercased() == lowered }.map(\.clientID))
            if let result = Self.resolution(clients.filter { ids.contains($0.id) }, .contactEmail) { return result }
        }
        let domain = lowered.hasPrefix("@") ? String(lowered.dropFirst()) : lowered
        if domain.contains(".") && !domain.contains("@") {
            let ids = Set(
                contacts.filter { $0.email?.lowercased().hasSuffix("@" + domain) ?? false }.map(\.clientID))
            let byDomain = clients.filter { $0.domain?.lowercased() == domain || ids.contains($0.id) }
            if let result = Self.resolution(byDomain, .emailDomain) { return result }
        }
        // The stores' ranking (a prefix, a containing word, then a few edits), so the fake suggests what they do.
        let ids = ClientNameSuggestions.best(for: needle, among: clients.map { ($0.id, $0.name) })
        let suggestions = ids.compactMap { id in clients.first { $0.id == id } }
        return .notFound(suggestions: Array(suggestions))
    }

    private static func resolution(_ matches: [Client], _ match: ClientMatch) -> ClientResolution? {
        switch matches.count {
        case 0: nil
        case 1: .found(matches[0], matchedBy: match)
        default: .ambiguous(matches.sorted { $0.id < $1.id })
        }
    }
}
