import Foundation

/// When a failed outbound delivery is tried again: after `base`, then twice as long each time (capped at
/// `maximumDelay`), until `maxAttempts` attempts have failed; then the delivery is `failed`.
public struct WebhookRetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var base: TimeInterval
    public var maximumDelay: TimeInterval
    /// How long one attempt may take.
    public var timeout: Duration

    public init(
        maxAttempts: Int = 6, base: TimeInterval = 30, maximumDelay: TimeInterval = 3_600, timeout: Duration = .seconds(10)
    ) {
        self.maxAttempts = maxAttempts
        self.base = base
        self.maximumDelay = maximumDelay
        self.timeout = timeout
    }

    /// The time of the next attempt after attempt number `attempt` (1-based) failed at `now`, or nil when
    /// that was the last one.
    public func nextAttempt(after attempt: Int, at now: Date) -> Date? {
        guard attempt < maxAttempts else { return nil }
        let delay = min(base * pow(2, Double(attempt - 1)), maximumDelay)
        return now.addingTimeInterval(delay)
    }
}
