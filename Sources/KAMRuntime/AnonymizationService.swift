import Foundation
import KAMCore
import KAMStore

/// What the anonymizer should recognise besides its general detectors: the store's clients, their
/// contacts and the team (`kam anonymize`).
public struct AnonymizationService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// Every client, contact and user of the store, as names and addresses to replace.
    /// - Throws: `StoreError` when the store cannot be read.
    public func knownEntities() throws -> KnownEntities {
        let store = runtime.clientMemory
        let clients = try store.listClients()
        var contacts: [Contact] = []
        for client in clients {
            if let snapshot = try store.snapshot(clientID: client.id, activitiesSince: runtime.now()) {
                contacts += snapshot.contacts
            }
        }
        return KnownEntities(clients: clients, contacts: contacts, users: try store.listUsers())
    }
}
