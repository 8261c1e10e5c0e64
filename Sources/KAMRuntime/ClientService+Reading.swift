import Foundation
import KAMCore
import KAMStore

/// Reading clients (`kam clients list|find|show`).
extension ClientService {
    /// Every client, by name.
    public func list() throws -> [Client] {
        try runtime.store.listClients()
    }

    /// Clients whose id, name, domain, external id or contacts contain `query`; none is an empty list.
    public func find(_ query: String) throws -> [Client] {
        try runtime.store.findClients(matching: query)
    }

    /// Everything known about client `clientID`: people, memory, the activities of the last `activityDays`
    /// days (by the runtime's clock), open deals, pending tasks and orders.
    ///
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`) when no client has that id.
    public func snapshot(_ clientID: String, activityDays: Int = 30) throws -> ClientSnapshot {
        let since = runtime.now().addingTimeInterval(-Double(activityDays) * 86_400)
        guard let snapshot = try runtime.store.snapshot(clientID: clientID, activitiesSince: since) else {
            throw RuntimeError(
                .notFound, code: "client.not-found", "no client has id '\(clientID)'")
        }
        return snapshot
    }
}
