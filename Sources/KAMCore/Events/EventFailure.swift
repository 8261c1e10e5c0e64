import Foundation

/// An event a consumer set aside after its handling kept failing (`event_failures`; `kam events failures`).
public struct EventFailure: Codable, Sendable, Hashable {
    public var consumer: String
    public var eventID: Int64
    public var kind: String
    /// The error of the last attempt.
    public var error: String
    public var failedAt: Date

    public init(consumer: String, eventID: Int64, kind: String, error: String, failedAt: Date) {
        self.consumer = consumer
        self.eventID = eventID
        self.kind = kind
        self.error = error
        self.failedAt = failedAt
    }

    /// Failed passes at one cursor position before the consumer handles its events one at a time and sets aside
    /// the one that fails.
    public static let passLimit = 5
}
