import Foundation

/// When a failed outbound delivery is tried again: after `base`, then twice as long each time (capped at
/// `maximumDelay`), until `maxAttempts` attempts have failed; then the delivery is `failed`. Up to `concurrency`
/// receivers are delivered to at once (`WebhookService.deliverDue`).
///
/// A receiver that does not take the connection fails within the webhook transport's short connect timeout
/// (`AsyncHTTPClientTransport.webhooks`, 2 s) and one that takes it but never answers within `timeout`; either way
/// the next attempt is this policy's.
public struct WebhookRetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var base: TimeInterval
    public var maximumDelay: TimeInterval
    /// How long one attempt may take.
    public var timeout: Duration
    /// How many receivers are delivered to at once; one receiver's deliveries still go one after another.
    public var concurrency: Int

    public init(
        maxAttempts: Int = 6, base: TimeInterval = 30, maximumDelay: TimeInterval = 3_600, timeout: Duration = .seconds(10),
        concurrency: Int = 8
    ) {
        self.maxAttempts = maxAttempts
        self.base = base
        self.maximumDelay = maximumDelay
        self.timeout = timeout
        self.concurrency = concurrency
    }

    /// The time of the next attempt after attempt number `attempt` (1-based) failed at `now`, or nil when
    /// that was the last one.
    public func nextAttempt(after attempt: Int, at now: Date) -> Date? {
        guard attempt < maxAttempts else { return nil }
        let delay = min(base * pow(2, Double(attempt - 1)), maximumDelay)
        return now.addingTimeInterval(delay)
    }
}
