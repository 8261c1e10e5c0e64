/// Token-bucket rate limiting keyed by provider and model (`openai/gpt-4o-mini`), or by API user.
///
/// An actor because it owns the buckets. Each key has a request bucket and a token bucket; a call
/// waits — on the injected clock — until both have room, or is refused at once when the wait would
/// exceed what it can afford.
public actor RateLimiter {
    private let time: ElapsedTime
    private var limits: [String: RateLimit]
    private let defaultLimit: RateLimit
    private var requestBuckets: [String: TokenBucket] = [:]
    private var tokenBuckets: [String: TokenBucket] = [:]

    public init(limits: [String: RateLimit] = [:], defaultLimit: RateLimit = .unlimited, clock: any Clock<Duration>) {
        self.limits = limits
        self.defaultLimit = defaultLimit
        self.time = ElapsedTime(clock: clock)
    }

    /// The key for a provider and model.
    public static func key(provider: String, model: String) -> String { "\(provider)/\(model)" }

    /// Sets or replaces the limit of one key.
    public func setLimit(_ limit: RateLimit, for key: String) {
        limits[key] = limit
        requestBuckets[key] = nil
        tokenBuckets[key] = nil
    }

    /// How long a call with `tokens` would wait now, without taking anything.
    public func waitTime(for key: String, tokens: Int) -> Duration {
        let now = time.now()
        var wait = Duration.zero
        if let bucket = bucket(requests: true, key: key, now: now) { wait = max(wait, bucket.waitTime(for: 1, at: now)) }
        if let bucket = bucket(requests: false, key: key, now: now) {
            wait = max(wait, bucket.waitTime(for: Double(tokens), at: now))
        }
        return wait
    }

    /// Takes one request and `tokens` tokens for `key`, waiting until they are available.
    ///
    /// The amounts are taken at once (so concurrent callers queue behind one another) and the caller
    /// then sleeps out its share of the wait.
    /// - Throws: `ProviderError` `.rateLimitExceeded` when the wait would be longer than `maxWait`;
    ///   `CancellationError` when cancelled while waiting.
    /// - Returns: how long the caller waited.
    @discardableResult
    public func acquire(_ key: String, tokens: Int, maxWait: Duration = .seconds(3600)) async throws -> Duration {
        let now = time.now()
        let wait = waitTime(for: key, tokens: tokens)
        if wait > maxWait {
            throw ProviderError(
                code: .rateLimitExceeded,
                message: "rate limit for \(key) needs a wait of \(wait) but only \(maxWait) is left; "
                    + "raise its requests/tokens per minute in kam.yaml or lower the concurrency",
                isRetryable: true, retryAfter: wait)
        }
        if var bucket = bucket(requests: true, key: key, now: now) {
            bucket.take(1, at: now)
            requestBuckets[limitKey(key)] = bucket
        }
        if var bucket = bucket(requests: false, key: key, now: now) {
            bucket.take(Double(tokens), at: now)
            tokenBuckets[limitKey(key)] = bucket
        }
        if wait > .zero { try await time.sleep(wait) }
        return wait
    }

    /// Gives back tokens taken by `acquire` that the call did not use (actual usage below the estimate).
    public func refund(_ key: String, tokens: Int) {
        guard tokens > 0, var bucket = tokenBuckets[limitKey(key)] else { return }
        bucket.take(-Double(tokens), at: time.now())
        tokenBuckets[limitKey(key)] = bucket
    }

    /// The key whose limit applies: the exact `provider/model`, else `provider/*` (shared by all its models).
    private func limitKey(_ key: String) -> String {
        if limits[key] != nil { return key }
        if let slash = key.firstIndex(of: "/") {
            let wildcard = String(key[..<slash]) + "/*"
            if limits[wildcard] != nil { return wildcard }
        }
        return key
    }

    private func bucket(requests: Bool, key requested: String, now: Duration) -> TokenBucket? {
        let key = limitKey(requested)
        let limit = limits[key] ?? defaultLimit
        guard let capacity = requests ? limit.requestsPerMinute : limit.tokensPerMinute else { return nil }
        if let existing = requests ? requestBuckets[key] : tokenBuckets[key] { return existing }
        let fresh = TokenBucket(capacity: capacity, at: now)
        if requests { requestBuckets[key] = fresh } else { tokenBuckets[key] = fresh }
        return fresh
    }
}
