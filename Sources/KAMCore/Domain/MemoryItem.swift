import Foundation

/// A fact or preference remembered about a client, with where it came from.
public struct MemoryItem: Codable, Sendable, Hashable {
    public var id: Int64?
    public var clientID: String
    public var kind: MemoryKind
    /// A short stable key (`preferred-call-time`); remembering the same key again replaces the value.
    public var key: String
    public var value: String
    /// Where the fact came from: `user`, `import`, `email:<message-id>`, ...
    public var source: String
    /// 0...1
    public var confidence: Double
    public var updatedAt: Date

    public init(
        id: Int64? = nil, clientID: String, kind: MemoryKind, key: String, value: String, source: String = "user",
        confidence: Double = 1.0, updatedAt: Date
    ) {
        self.id = id
        self.clientID = clientID
        self.kind = kind
        self.key = key
        self.value = value
        self.source = source
        self.confidence = confidence
        self.updatedAt = updatedAt
    }
}
