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
    /// When an answer counts as a runaway: checked while it streams (the stream is stopped) and on a whole
    /// answer; `nil` accepts any answer. A degenerate answer fails its attempt with `output.degenerate` and ends
    /// the call without retries or fallbacks, so the caller can repair with anti-repetition settings.
    public var repetition: RepetitionDetector.Settings? = .standard
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
            var routed = route.model.map { request.withModel($0) } ?? request
            if let options = route.options { routed.extraOptions = options }
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
                let progress = StreamProgress()
                do {
                    if let rateLimiter {
                        try await rateLimiter.acquire(key, tokens: tokenEstimate(routed), maxWait: remaining)
                    }
                    let deadlines = continuation == nil ? nil : route.streamDeadlines
                    var response = try await attempt(
                        route.provider, routed, timeout: timeout, deadlines: deadlines, remaining: remaining, time: time,
                        continuation: continuation, progress: progress)
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
                    // Pieces streamed before the failure were generated (and are billed): about a token each.
                    await observer.record(
                        CallAttempt(
                            number: attemptNumber, provider: route.provider.name, model: routed.model,
                            outcome: .failure(
                                code: failure.code.rawValue, httpStatus: failure.httpStatus,
                                retryable: failure.isRetryable, message: failure.message),
                            usage: Usage(
                                inputTokens: 0,
                                outputTokens: max(progress.pieces, (failure.underlying as? DegenerateAnswer)?.pieces ?? 0)),
                            latency: latency,
                            promptID: request.promptID))
                    failures.append("\(route.provider.name)/\(routed.model) attempt \(attemptInRoute): \(failure)")
                    lastError = failure
                    if progress.forwarded || failure.code == .degenerateOutput { throw failure }
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

    /// One attempt, bounded by `timeout` on the injected clock, or when streaming with `deadlines`, by those.
    private func attempt(
        _ provider: any ModelProvider, _ request: ChatRequest, timeout: Duration?, deadlines: StreamDeadlines?,
        remaining: Duration, time: ElapsedTime, continuation: AsyncThrowingStream<ChatStreamEvent, any Error>.Continuation?,
        progress: StreamProgress
    ) async throws -> ChatResponse {
        let repetition = self.repetition
        let started = time.now()
        return try await withThrowingTaskGroup(of: ChatResponse?.self) { group in
            group.addTask {
                guard let continuation else {
                    let response = try await provider.complete(request)
                    if let repetition, !response.isOffline, let found = RepetitionDetector.check(response.text, settings: repetition) {
                        throw Self.degenerate(found, text: response.text, pieces: response.usage.outputTokens, provider.name, request)
                    }
                    return response
                }
                var detector = repetition.map { RepetitionDetector(settings: $0) }
                var received = ""
                for try await event in provider.stream(request) {
                    switch event {
                    case .delta(let text):
                        progress.piece(at: time.now())
                        continuation.yield(.delta(text))
                        received += text
                        if let found = detector?.feed(text) {
                            throw Self.degenerate(found, text: received, pieces: progress.pieces, provider.name, request)
                        }
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
            if let deadlines {
                let overall = deadlines.overall(maxOutputTokens: request.maxOutputTokens)
                group.addTask {
                    try await Self.watch(
                        progress, deadlines: deadlines, overall: overall, remaining: remaining, started: started, time: time,
                        provider: provider.name, model: request.model)
                }
            } else if let timeout {
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

    /// Wakes at the next deadline of a streamed attempt (and at least every quarter of `idle`, to see new pieces)
    /// and throws `.timeout` naming the deadline missed and the pieces received; never returns otherwise.
    static func watch(
        _ progress: StreamProgress, deadlines: StreamDeadlines, overall: Duration, remaining: Duration, started: Duration,
        time: ElapsedTime, provider: String, model: String
    ) async throws -> ChatResponse? {
        let cap = started + min(overall, remaining)
        while true {
            let now = time.now()
            let (pieces, last) = progress.state
            var missed: StreamDeadlines.Missed = pieces == 0 ? .firstToken : .idle
            var at = pieces == 0 ? started + deadlines.firstToken : (last ?? started) + deadlines.idle
            if cap <= at {
                at = cap
                missed = overall <= remaining ? .overall : .callDeadline
            }
            if now >= at {
                throw timeout(missed, deadlines: deadlines, overall: min(overall, remaining), pieces: pieces, provider: provider, model: model)
            }
            try await time.sleep(min(at - now, deadlines.idle / 4))
        }
    }

    static func timeout(
        _ missed: StreamDeadlines.Missed, deadlines: StreamDeadlines, overall: Duration, pieces: Int, provider: String,
        model: String
    ) -> ProviderError {
        let received = "\(pieces) token(s) received"
        let message: String
        switch missed {
        case .firstToken:
            message = "no first token from \(provider) model \(model) within \(seconds(deadlines.firstToken)) "
                + "(the first-token deadline, first_token_seconds in kam.yaml); \(received). The server may be busy or "
                + "still loading the model; raise first_token_seconds on a slow machine"
        case .idle:
            message = "the stream from \(provider) model \(model) went silent for \(seconds(deadlines.idle)) "
                + "(the idle deadline, idle_seconds in kam.yaml) after \(received)"
        case .overall:
            message = "the answer from \(provider) model \(model) was still streaming at the overall cap of "
                + "\(seconds(overall)) (timeout_seconds in kam.yaml, else first_token_seconds plus "
                + "\(seconds(deadlines.perOutputToken)) per max_output_tokens); \(received). Lower max_output_tokens or raise timeout_seconds"
        case .callDeadline:
            message = "the call's retry deadline (retry.deadline_seconds in kam.yaml) ran out after \(seconds(overall)) "
                + "while \(provider) model \(model) was streaming; \(received)"
        }
        return ProviderError(code: .timeout, message: message, provider: provider, model: model, isRetryable: true)
    }

    static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        let value = Double(whole) + Double(attoseconds) / 1e18
        return value == value.rounded() ? "\(Int64(value)) s" : "\(value) s"
    }

    static func degenerate(
        _ found: Degeneration, text: String, pieces: Int, _ provider: String, _ request: ChatRequest
    ) -> ProviderError {
        ProviderError(
            code: .degenerateOutput,
            message: "\(provider) model \(request.model) started repeating itself and was stopped after \(pieces) "
                + "token(s): \(found)",
            provider: provider, model: request.model, isRetryable: false,
            underlying: DegenerateAnswer(degeneration: found, text: text, pieces: pieces))
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

/// What a streamed attempt has received: pieces and when the last came, read by its deadline watcher and,
/// after the attempt, by the retry loop (a stream that forwarded text cannot be retried).
final class StreamProgress: Sendable {
    private let storage = Mutex<(pieces: Int, last: Duration?)>((0, nil))
    func piece(at time: Duration) { storage.withLock { $0 = ($0.pieces + 1, time) } }
    var state: (pieces: Int, last: Duration?) { storage.withLock { $0 } }
    var pieces: Int { state.pieces }
    var forwarded: Bool { state.pieces > 0 }
}
