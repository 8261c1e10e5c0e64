import Foundation
import KAMCore
import KAMStore

/// What the team remembers about a client (facts and preferences), for every future context.
///
/// What a signed-in team member types here is the only memory the context treats as the team's own
/// (source `user`); everything else (imports, emails, the model) is fenced as untrusted text.
public struct MemoryService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// What a remember wrote.
    public struct Remembered: Encodable, Sendable {
        public var item: MemoryItem
        /// True when a new key was created, false when an existing one was replaced.
        public var created: Bool
    }

    /// Remembers `text` about the client under `key` (made from the text when nil), replacing that key.
    ///
    /// - Parameter source: where it came from; `user` (the default) when a person typed it.
    /// - Throws: `StoreError` for an unknown client or empty text.
    @discardableResult
    public func remember(
        clientID: String, text: String, key: String? = nil, kind: MemoryKind = .fact, source: String = "user",
        as user: ActingUser
    ) throws -> Remembered {
        try runtime.requireInScope(clientID: clientID, as: user)
        let (item, outcome) = try runtime.clientRecords.remember(
            clientID: clientID, text: text, key: key, kind: kind, source: source, confidence: 1.0)
        return Remembered(item: item, created: outcome == .created)
    }

    /// Forgets the item under `key`.
    /// - Throws: `StoreError` `.memoryKeyNotFound` listing the keys the client has.
    @discardableResult
    public func forget(clientID: String, key: String, as user: ActingUser) throws -> MemoryItem {
        try runtime.requireInScope(clientID: clientID, as: user)
        return try runtime.clientRecords.forget(clientID: clientID, key: key)
    }
}
