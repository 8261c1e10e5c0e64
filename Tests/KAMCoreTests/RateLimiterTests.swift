import KAMCore
import KAMTesting
import Testing

@Suite("Rate limiter")
struct RateLimiterTests {
    @Test func tokenBucketRefillsContinuously() {
        var bucket = TokenBucket(capacity: 600, at: .zero)
        bucket.take(600, at: .zero)
        #expect(bucket.waitTime(for: 100, at: .zero) == .seconds(10))
        #expect(bucket.waitTime(for: 100, at: .seconds(10)) == .zero)
        bucket.take(1000, at: .seconds(10))
        #expect(bucket.level == -900)
        #expect(bucket.waitTime(for: 600, at: .seconds(10)) == .seconds(150))
    }

    @Test func tokensPerMinuteLimitsLargeRequests() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(defaultLimit: RateLimit(tokensPerMinute: 1000), clock: clock)
        try await limiter.acquire("a/m", tokens: 800)
        #expect(await limiter.waitTime(for: "a/m", tokens: 400) == .seconds(12))
        #expect(await limiter.waitTime(for: "b/m", tokens: 400) == .zero)
        await #expect(throws: ProviderError.self) {
            try await limiter.acquire("a/m", tokens: 400, maxWait: .seconds(5))
        }
        await limiter.refund("a/m", tokens: 800)
        #expect(await limiter.waitTime(for: "a/m", tokens: 400) == .zero)
    }
}
