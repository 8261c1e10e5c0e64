import Foundation
import KAMCore
import KAMStore

extension MemoryService {
    /// What the team remembers about client `clientID`, as the context reads it.
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`) for an unknown client or one outside the scope.
    public func list(clientID: String, as user: ActingUser) throws -> [MemoryItem] {
        let client = try runtime.client(id: clientID, as: user)
        return try runtime.clientMemory.snapshot(clientID: client.id, activitiesSince: runtime.now())?.memory ?? []
    }
}
