import Synchronization

/// A provider that retries transient failures, respects rate limits, and falls back along a chain.
///
/// Each route (e.g. `openai/gpt-4o`, then `anthropic/claude-haiku`, then `offline`) gets up to
/// `maxAttempts` tries; retryable failures (decided by the adapter) wait an exponential backoff with
/// full jitter, never less than `Retry-After`; non-retryable ones move straight to the next route.
/// The whole call is bounded by `totalDeadline`: no retry is scheduled that would end after it, and
/// each attempt is timed out by the injected clock. Every attempt is reported to the observer before
/// the call returns. Cancellation is never retried or fallen back from.
public struct ResilientProvider: ModelProvider {
    public var routes: [ProviderRoute]
    public var policy: RetryPolicy
    public var rateLimiter: RateLimiter?
    public var observer: AttemptObserver
    public var random: RandomSource
    /// Tokens a request will take from the rate limiter (input estimate plus max output).
    public var tokenEstimate: @Sendable (ChatRequest) -> Int
    private let clock: any Clock<Duration>

    public init(
        routes: [ProviderRoute],
        policy: RetryPolicy = RetryPolicy(),
        clock: any Clock<Duration> = ContinuousClock(),
        random: RandomSource = .system,
        rateLimiter: RateLimiter? = nil,
        observer: AttemptObserver = .none,
        tokenEstimate: @escaping @Sendable (ChatRequest) -> Int = ResilientProvider.roughTokenEstimate
    ) {
        precondition(!routes.isEmpty, "a ResilientProvider needs at least one route")
        self.routes = routes
        self.policy = policy
        self.clock = clock
        self.random = random
        self.rateLimiter = rateLimiter
        self.observer = observer
        self.tokenEstimate = tokenEstimate
    }

    public var name: String { routes[0].provider.name }

    /// About four characters a token plus the output ceiling: good enough for a rate limiter.
    public static func roughTokenEstimate(_ request: ChatRequest) -> Int {
        let characters = request.messages.reduce(0) { $0 + $1.content.utf8.count }
        return characters / 4 + 1 + (request.maxOutputTokens ?? 1024)
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        try await run(request, streaming: nil)
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let response = try await run(request, streaming: continuation)
                    continuation.yield(.completed(response))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The retry/fallback loop shared by `complete` and `stream`.
    ///
    /// When streaming, deltas are forwarded as they come; once one has been forwarded the answer
    /// cannot be taken back, so a later failure ends the stream instead of retrying.
    private func run(
        _ request: ChatRequest, streaming continuation: AsyncThrowingStream<ChatStreamEvent, any Error>.Continuation?
    ) async throws -> ChatResponse {
        let time = ElapsedTime(clock: clock)
        var attemptNumber = 0
        var failures: [String] = []
        var lastError: (any Error & Sendable)?

        for (routeIndex, route) in routes.enumerated() {
            let routed = route.model.map { request.withModel($0) } ?? request
            let key = RateLimiter.key(provider: route.provider.name, model: routed.model)
            let attempts = max(1, route.maxAttempts ?? policy.maxAttempts)
            let isLastRoute = routeIndex == routes.count - 1

            for attemptInRoute in 1...attempts {
                try Task.checkCancellation()
                attemptNumber += 1
                let started = time.now()
                // A fallback is always tried once, even past the deadline: the chain usually ends in
                // `offline`, which answers at once, and an answer beats a timeout.
                let remaining = max(policy.totalDeadline - started, .milliseconds(1))
                let timeout = (route.attemptTimeout ?? policy.attemptTimeout).map { min($0, remaining) }
                var forwarded = false
                do {
                    if let rateLimiter {
                        try await rateLimiter.acquire(key, tokens: tokenEstimate(routed), maxWait: remaining)
                    }
                    var response = try await attempt(
                        route.provider, routed, timeout: timeout, time: time, continuation: continuation,
                        forwarded: &forwarded)
                    let latency = time.now() - started
                    await observer.record(
                        CallAttempt(
                            number: attemptNumber, provider: response.provider, model: response.model,
                            outcome: .success(response.finishReason), usage: response.usage, latency: latency,
                            isOffline: response.isOffline, promptID: request.promptID))
                    response.attempts = attemptNumber
                    response.latency = time.now()
                    response.requestedModel = response.requestedModel ?? routed.model
                    return response
                } catch {
                    let latency = time.now() - started
                    if error is CancellationError || Task.isCancelled {
                        await observer.record(
                            CallAttempt(
                                number: attemptNumber, provider: route.provider.name, model: routed.model,
                                outcome: .failure(code: ProviderError.Code.cancelled.rawValue, httpStatus: nil, retryable: false, message: "cancelled"),
                                latency: latency, promptID: request.promptID))
                        throw error
                    }
                    let failure = Self.providerError(error, provider: route.provider.name, model: routed.model)
                    await observer.record(
                        CallAttempt(
                            number: attemptNumber, provider: route.provider.name, model: routed.model,
                            outcome: .failure(
                                code: failure.code.rawValue, httpStatus: failure.httpStatus,
                                retryable: failure.isRetryable, message: failure.message),
                            latency: latency, promptID: request.promptID))
                    failures.append("\(route.provider.name)/\(routed.model) attempt \(attemptInRoute): \(failure)")
                    lastError = failure
                    if forwarded { throw failure }
                    guard failure.isRetryable, attemptInRoute < attempts else { break }
                    if let retryAfter = failure.retryAfter, retryAfter > policy.maxRetryAfter { break }
                    let delay = policy.delay(
                        beforeRetry: attemptInRoute, retryAfter: failure.retryAfter, unitRandom: random.next())
                    // Keep the retry (and a short attempt) inside the deadline, or move on.
                    guard time.now() + delay < policy.totalDeadline else { break }
                    try await time.sleep(delay)
                }
            }
            if isLastRoute { break }
        }
        throw ProviderError(
            code: .allProvidersFailed,
            message: "the call failed after \(attemptNumber) attempt(s) across \(routes.count) provider(s): "
                + failures.joined(separator: "; ")
                + ". Check the providers' keys and URLs in kam.yaml, or add `offline` to the fallback chain",
            provider: routes.last?.provider.name, model: request.model, isRetryable: false, underlying: lastError)
    }

    /// One attempt, bounded by `timeout` on the injected clock.
    private func attempt(
        _ provider: any ModelProvider, _ request: ChatRequest, timeout: Duration?, time: ElapsedTime,
        continuation: AsyncThrowingStream<ChatStreamEvent, any Error>.Continuation?, forwarded: inout Bool
    ) async throws -> ChatResponse {
        let sawDelta = ForwardFlag()
        defer { forwarded = sawDelta.value }
        return try await withThrowingTaskGroup(of: ChatResponse?.self) { group in
            group.addTask {
                guard let continuation else { return try await provider.complete(request) }
                for try await event in provider.stream(request) {
                    switch event {
                    case .delta(let text):
                        sawDelta.set()
                        continuation.yield(.delta(text))
                    case .usage(let usage):
                        continuation.yield(.usage(usage))
                    case .completed(let response):
                        return response
                    }
                }
                throw ProviderError(
                    code: .truncatedStream,
                    message: "the \(provider.name) stream for model \(request.model) ended without its final event",
                    provider: provider.name, model: request.model, isRetryable: true)
            }
            if let timeout {
                group.addTask {
                    try await time.sleep(timeout)
                    return nil
                }
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else {
                throw CancellationError()
            }
            guard let response = first else {
                throw ProviderError(
                    code: .timeout,
                    message: "no answer from \(provider.name) model \(request.model) within \(timeout ?? .zero); "
                        + "the attempt was abandoned (raise attemptTimeout if the model is slow)",
                    provider: provider.name, model: request.model, isRetryable: true)
            }
            return response
        }
    }

    /// Any error as a `ProviderError`; unknown errors are not retried.
    static func providerError(_ error: any Error, provider: String, model: String) -> ProviderError {
        if var known = error as? ProviderError {
            if known.provider == nil { known.provider = provider }
            if known.model == nil { known.model = model }
            return known
        }
        return ProviderError(
            code: .init(rawValue: "unexpected"),
            message: SecretRedactor.redact("unexpected failure from \(provider) model \(model): \(error)"),
            provider: provider, model: model, isRetryable: false)
    }
}

/// Set once when a stream forwarded text; read after the attempt's task group is done.
private final class ForwardFlag: Sendable {
    private let storage = Mutex(false)
    func set() { storage.withLock { $0 = true } }
    var value: Bool { storage.withLock { $0 } }
}
