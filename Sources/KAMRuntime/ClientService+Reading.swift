import Foundation
import KAMCore
import KAMStore

/// Reading clients (`kam clients list|find|show`).
extension ClientService {
    /// Every client `user` may see, by name.
    public func list(as user: ActingUser) throws -> [Client] {
        try runtime.scope(for: user).filter(runtime.clientMemory.listClients())
    }

    /// Clients `user` may see whose id, name, domain, external id or contacts contain `query`; none is an
    /// empty list.
    public func find(_ query: String, as user: ActingUser) throws -> [Client] {
        try runtime.scope(for: user).filter(runtime.clientDirectory.findClients(matching: query, limit: 50))
    }

    /// Everything known about client `clientID`: people, memory, the activities of the last `activityDays`
    /// days (by the runtime's clock), open deals, pending tasks and orders.
    ///
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`) when no client has that id.
    public func snapshot(_ clientID: String, activityDays: Int = 30, as user: ActingUser) throws
        -> ClientSnapshot
    {
        try runtime.requireInScope(clientID: clientID, as: user)
        let since = runtime.now().addingTimeInterval(-Double(activityDays) * 86_400)
        guard let snapshot = try runtime.clientMemory.snapshot(clientID: clientID, activitiesSince: since) else {
            throw RuntimeError(
                .notFound, code: "client.not-found", "no client has id '\(clientID)'")
        }
        return snapshot
    }
}
