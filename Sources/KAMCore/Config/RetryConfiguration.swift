/// How transient failures are retried: attempt count, backoff bounds (full jitter), and a total deadline.
public struct RetryConfiguration: Sendable, Hashable, Codable {
    /// Attempts per model, the first included.
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// Time allowed for the whole call, retries and fallbacks included.
    public var deadline: Duration

    public init(
        maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(20),
        deadline: Duration = .seconds(120)
    ) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.deadline = deadline
    }
}
