/// How many times and how patiently a call is retried before its fallback chain moves on.
///
/// Backoff is exponential with full jitter (AWS's "Exponential Backoff and Jitter"): the n-th retry
/// waits a uniformly random time in `0 ..< min(maxDelay, baseDelay × 2^(n-1))`, so that many clients
/// hit by the same outage do not come back in lockstep. A server's `Retry-After` is a floor.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts per provider in the chain, the first one included (1 = no retries).
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// The whole call, every retry and every fallback included, must end within this.
    public var totalDeadline: Duration
    /// One attempt is abandoned as a timeout after this long (also bounded by what is left of the deadline).
    /// `nil` sets no timer of its own: the transport's timeout is then the only bound of an attempt.
    public var attemptTimeout: Duration?
    /// A `Retry-After` longer than this is not waited for; the chain falls back instead.
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 3,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(20),
        totalDeadline: Duration = .seconds(120),
        attemptTimeout: Duration? = .seconds(60),
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.totalDeadline = totalDeadline
        self.attemptTimeout = attemptTimeout
        self.maxRetryAfter = maxRetryAfter
    }

    /// No retries at all: one attempt per provider.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before retry number `retry` (1 for the first retry).
    ///
    /// - Parameters:
    ///   - retry: 1-based retry number.
    ///   - retryAfter: what the server asked for, if anything; the wait is at least this.
    ///   - unitRandom: a number in `0 ..< 1` from the injected random source.
    public func delay(beforeRetry retry: Int, retryAfter: Duration?, unitRandom: Double) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let jittered = ceiling * min(max(unitRandom, 0), 1)
        if let retryAfter { return max(retryAfter, jittered) }
        return jittered
    }
}
