import Foundation
import KAMCore
import KAMTesting
import Synchronization
import Testing

@Suite("Resilient provider")
struct ResilientProviderTests {
    static func transient(_ status: Int, retryAfter: Duration? = nil) -> ProviderError {
        ProviderError(
            code: status == 429 ? .rateLimited : .httpStatus, message: "HTTP \(status)", httpStatus: status,
            isRetryable: ProviderError.isRetryableStatus(status), retryAfter: retryAfter)
    }

    /// Retries without a per-attempt timer, so the only sleeps on the clock are backoffs.
    static let noTimer = RetryPolicy(attemptTimeout: nil)

    let request = ChatRequest(model: "gpt-4o", messages: [.user("Hi")], metadata: ["prompt_id": "follow-up"])

    @Test func retriesA429AfterRetryAfterThenSucceeds() async throws {
        let clock = ManualClock()
        let attempts = RecordedAttempts()
        let calledAt = Mutex<[Duration]>([])
        let provider = ScriptedProvider(name: "openai") { request, call in
            calledAt.withLock { $0.append(clock.now.offset) }
            if call == 1 { throw Self.transient(429, retryAfter: .seconds(7)) }
            return ChatResponse(text: "ok", model: request.model, provider: "openai", usage: Usage(inputTokens: 3, outputTokens: 1))
        }
        let resilient = ResilientProvider(
            routes: [ProviderRoute(provider: provider)], policy: RetryPolicy(maxAttempts: 3, baseDelay: .seconds(1), attemptTimeout: nil),
            clock: clock, random: .constant(0.5), observer: attempts.observer)
        let response = try await runAdvancing(clock) { try await resilient.complete(request) }
        #expect(response.text == "ok")
        #expect(response.attempts == 2)
        // Retry-After (7 s) wins over the jittered backoff (0.5 × 1 s).
        #expect(calledAt.withLock { $0 } == [.zero, .seconds(7)])
        #expect(attempts.all.map(\.outcome.isSuccess) == [false, true])
        #expect(attempts.all.map(\.number) == [1, 2])
        #expect(attempts.all.last?.usage == Usage(inputTokens: 3, outputTokens: 1))
        #expect(attempts.all.first?.promptID == "follow-up")
    }

    @Test func backoffIsExponentialWithFullJitter() async throws {
        let clock = ManualClock()
        let calledAt = Mutex<[Duration]>([])
        let provider = ScriptedProvider(name: "openai") { request, call in
            calledAt.withLock { $0.append(clock.now.offset) }
            if call < 4 { throw Self.transient(503) }
            return ChatResponse(text: "ok", model: request.model, provider: "openai")
        }
        let resilient = ResilientProvider(
            routes: [ProviderRoute(provider: provider)],
            policy: RetryPolicy(maxAttempts: 4, baseDelay: .seconds(1), maxDelay: .seconds(3), attemptTimeout: nil), clock: clock,
            random: .constant(0.5))
        _ = try await runAdvancing(clock) { try await resilient.complete(request) }
        // Waits of 0.5 × min(3, 1·2^n): 0.5 s, 1 s, 1.5 s (capped).
        #expect(calledAt.withLock { $0 } == [.zero, .milliseconds(500), .milliseconds(1500), .seconds(3)])
        #expect(RetryPolicy().delay(beforeRetry: 3, retryAfter: nil, unitRandom: 0) == .zero)
    }

    @Test func nonRetryableErrorFallsBackAtOnce() async throws {
        let clock = ManualClock()
        let attempts = RecordedAttempts()
        let failing = ScriptedProvider(name: "openai") { _, _ in
            throw ProviderError(code: .httpStatus, message: "bad key", httpStatus: 401, isRetryable: false)
        }
        let resilient = ResilientProvider(
            routes: [ProviderRoute(provider: failing), ProviderRoute(provider: ScriptedProvider.offline())],
            policy: Self.noTimer, clock: clock, observer: attempts.observer)
        let response = try await runAdvancing(clock) { try await resilient.complete(request) }
        #expect(failing.callCount == 1)
        #expect(response.isOffline)
        #expect(response.attempts == 2)
        #expect(attempts.all.map(\.provider) == ["openai", "offline"])
    }

    @Test func hangTimesOutThenFallsBackToAnotherModelThenOffline() async throws {
        let clock = ManualClock()
        let attempts = RecordedAttempts()
        let hanging = ScriptedProvider(name: "openai") { _, _ in try await ScriptedProvider.hang() }
        let failingModel = ScriptedProvider(name: "anthropic") { _, _ in throw Self.transient(500) }
        let resilient = ResilientProvider(
            routes: [
                ProviderRoute(provider: hanging, maxAttempts: 1, attemptTimeout: .seconds(30)),
                ProviderRoute(provider: failingModel, model: "claude-haiku", maxAttempts: 2),
                ProviderRoute(provider: ScriptedProvider.offline()),
            ],
            policy: RetryPolicy(baseDelay: .seconds(1), attemptTimeout: nil), clock: clock,
            random: .constant(1), observer: attempts.observer)
        let response = try await runAdvancing(clock) { try await resilient.complete(request) }
        #expect(response.provider == "offline")
        #expect(failingModel.requests.map(\.model) == ["claude-haiku", "claude-haiku"])
        let outcomes = attempts.all.map { ($0.provider, $0.model, $0.outcome) }
        #expect(outcomes.count == 4)
        #expect(outcomes[0].2 == .failure(code: "provider.timeout", httpStatus: nil, retryable: true, message: outcomes[0].2.message))
        #expect(attempts.all[0].latency == .seconds(30))
        #expect(outcomes[1].1 == "claude-haiku")
        #expect(outcomes[3].0 == "offline")
    }

    @Test func allFailingIsOneErrorCarryingEveryAttempt() async throws {
        let clock = ManualClock()
        let failing = ScriptedProvider(name: "openai") { _, _ in throw Self.transient(502) }
        let resilient = ResilientProvider(
            routes: [ProviderRoute(provider: failing)], policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), attemptTimeout: nil),
            clock: clock)
        let error = await #expect(throws: ProviderError.self) {
            try await runAdvancing(clock) { try await resilient.complete(request) }
        }
        #expect(error?.code == .allProvidersFailed)
        #expect(error?.message.contains("3 attempt(s)") == true)
        #expect(failing.callCount == 3)
    }

    @Test func totalDeadlineStopsRetries() async throws {
        let clock = ManualClock()
        let failing = ScriptedProvider(name: "openai") { _, _ in throw Self.transient(503, retryAfter: .seconds(50)) }
        let resilient = ResilientProvider(
            routes: [ProviderRoute(provider: failing), ProviderRoute(provider: ScriptedProvider.offline())],
            policy: RetryPolicy(maxAttempts: 5, totalDeadline: .seconds(120), attemptTimeout: nil), clock: clock,
            random: .constant(0))
        let response = try await runAdvancing(clock) { try await resilient.complete(request) }
        // Attempts at 0 s and 50 s; a third at 100 s + 50 s would pass the 120 s deadline.
        #expect(failing.callCount == 3)
        #expect(clock.now.offset <= .seconds(120))
        #expect(response.isOffline)
    }

    @Test func tooLongRetryAfterFallsBackInsteadOfWaiting() async throws {
        let clock = ManualClock()
        let limited = ScriptedProvider(name: "openai") { _, _ in throw Self.transient(429, retryAfter: .seconds(600)) }
        let resilient = ResilientProvider(
            routes: [ProviderRoute(provider: limited), ProviderRoute(provider: ScriptedProvider.offline())],
            policy: RetryPolicy(attemptTimeout: nil, maxRetryAfter: .seconds(60)), clock: clock)
        let response = try await runAdvancing(clock) { try await resilient.complete(request) }
        #expect(limited.callCount == 1)
        #expect(response.isOffline)
        #expect(clock.now.offset == .zero)
    }

    @Test func cancellationIsNotRetried() async throws {
        let clock = ManualClock()
        let hanging = ScriptedProvider(name: "openai") { _, _ in try await ScriptedProvider.hang() }
        let resilient = ResilientProvider(
            routes: [ProviderRoute(provider: hanging), ProviderRoute(provider: ScriptedProvider.offline())],
            policy: RetryPolicy(attemptTimeout: .seconds(30)), clock: clock)
        let task = Task { try await resilient.complete(request) }
        await clock.waitForSleepers(1)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(hanging.callCount == 1)
    }

    @Test func streamRetriesBeforeTheFirstDeltaOnly() async throws {
        let clock = ManualClock()
        let provider = ScriptedProvider(
            name: "openai", script: { _, _ in throw Self.transient(500) },
            stream: { request, call in
                AsyncThrowingStream { continuation in
                    if call == 1 {
                        continuation.finish(throwing: Self.transient(503))
                        return
                    }
                    continuation.yield(.delta("Hel"))
                    continuation.yield(.delta("lo"))
                    continuation.yield(.completed(ChatResponse(text: "Hello", model: request.model, provider: "openai")))
                    continuation.finish()
                }
            })
        let resilient = ResilientProvider(
            routes: [ProviderRoute(provider: provider)], policy: RetryPolicy(baseDelay: .milliseconds(100), attemptTimeout: nil), clock: clock)
        let collected = try await runAdvancing(clock) { () -> [ChatStreamEvent] in
            var events: [ChatStreamEvent] = []
            for try await event in resilient.stream(request) { events.append(event) }
            return events
        }
        #expect(collected.prefix(2) == [.delta("Hel"), .delta("lo")])
        guard case .completed(let response) = collected.last else {
            Issue.record("no completed event")
            return
        }
        #expect(response.attempts == 2)
    }

    @Test func rateLimiterDelaysCallsOnTheClock() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limits: ["openai/gpt-4o": RateLimit(requestsPerMinute: 2)], clock: clock)
        let calledAt = Mutex<[Duration]>([])
        let provider = ScriptedProvider(name: "openai") { request, _ in
            calledAt.withLock { $0.append(clock.now.offset) }
            return ChatResponse(text: "ok", model: request.model, provider: "openai")
        }
        let resilient = ResilientProvider(
            routes: [ProviderRoute(provider: provider)], policy: Self.noTimer, clock: clock, rateLimiter: limiter)
        for _ in 0..<3 {
            _ = try await runAdvancing(clock) { try await resilient.complete(request) }
        }
        // Two requests fit the bucket; the third waits for one to refill (60 s / 2).
        #expect(calledAt.withLock { $0 } == [.zero, .zero, .seconds(30)])
    }
}
