import KAMCore
import KAMTesting
import Synchronization
import Testing

/// A streamed attempt's deadlines (first token, idle, overall cap) on a manual clock, and runaway streams.
@Suite struct StreamDeadlineTests {
    let request = ChatRequest(model: "smollm2", messages: [ChatMessage(role: .user, content: "hi")], maxOutputTokens: 100)

    /// A stream that sends `pieces` pieces at once and then nothing until cancelled.
    static func stalling(after pieces: Int) -> ScriptedProvider {
        ScriptedProvider(
            name: "openai-compatible", script: { _, _ in try await ScriptedProvider.hang() },
            stream: { _, _ in
                AsyncThrowingStream { continuation in
                    for index in 0..<pieces { continuation.yield(.delta("piece \(index) ")) }
                    let task = Task {
                        do { try await ScriptedProvider.hang() } catch { continuation.finish(throwing: error) }
                    }
                    continuation.onTermination = { _ in task.cancel() }
                }
            })
    }

    func resilient(_ provider: ScriptedProvider, clock: ManualClock, deadlines: StreamDeadlines, attempts: RecordedAttempts)
        -> ResilientProvider
    {
        ResilientProvider(
            routes: [ProviderRoute(provider: provider, maxAttempts: 1, streamDeadlines: deadlines)],
            policy: RetryPolicy(totalDeadline: .seconds(3600), attemptTimeout: nil), clock: clock, observer: attempts.observer)
    }

    /// Consumes the stream, counting the pieces, and advances the clock only once `ready` pieces have arrived.
    func consume(_ stream: AsyncThrowingStream<ChatStreamEvent, any Error>, clock: ManualClock, ready: Int) async -> (pieces: Int, error: ProviderError?) {
        let seen = Mutex(0)
        let task = Task { () -> ProviderError? in
            do {
                for try await event in stream { if case .delta = event { seen.withLock { $0 += 1 } } }
                return nil
            } catch {
                return error as? ProviderError
            }
        }
        while seen.withLock({ $0 }) < ready { await Task.yield() }
        let done = Mutex(false)
        let waiter = Task {
            let value = await task.value
            done.withLock { $0 = true }
            return value
        }
        while !done.withLock({ $0 }) {
            if clock.sleeperCount > 0 { clock.advanceToNextDeadline() }
            await Task.yield()
        }
        return (seen.withLock { $0 }, await waiter.value)
    }

    @Test func noFirstTokenMissesTheFirstTokenDeadline() async throws {
        let clock = ManualClock()
        let attempts = RecordedAttempts()
        let deadlines = StreamDeadlines(firstToken: .seconds(45), idle: .seconds(20))
        let stream = resilient(Self.stalling(after: 0), clock: clock, deadlines: deadlines, attempts: attempts).stream(request)
        let (pieces, error) = await consume(stream, clock: clock, ready: 0)
        #expect(pieces == 0)
        let failure = try #require(error)
        #expect(failure.code == .allProvidersFailed)
        let attempt = try #require(attempts.all.first)
        guard case .failure(let code, _, let retryable, let message) = attempt.outcome else {
            Issue.record("expected a failure")
            return
        }
        #expect(code == "provider.timeout")
        #expect(retryable)
        #expect(message.contains("first-token deadline"))
        #expect(message.contains("45 s"))
        #expect(message.contains("0 token(s) received"))
        #expect(attempt.latency == .seconds(45))
    }

    @Test func aStreamThatGoesSilentMissesTheIdleDeadline() async throws {
        let clock = ManualClock()
        let attempts = RecordedAttempts()
        let deadlines = StreamDeadlines(firstToken: .seconds(60), idle: .seconds(20))
        let stream = resilient(Self.stalling(after: 3), clock: clock, deadlines: deadlines, attempts: attempts).stream(request)
        let (pieces, error) = await consume(stream, clock: clock, ready: 3)
        #expect(pieces == 3)
        let failure = try #require(error)
        // Text was forwarded, so the stream ends with the attempt's own error instead of a retry.
        #expect(failure.code == .timeout)
        #expect(failure.message.contains("idle deadline"))
        #expect(failure.message.contains("3 token(s) received"))
        #expect(attempts.all.first?.latency == .seconds(20))
        #expect(attempts.all.first?.usage.outputTokens == 3)
    }

    @Test func aSlowStreamMeetsTheScaledOverallCap() async throws {
        let clock = ManualClock()
        let attempts = RecordedAttempts()
        // A piece every 5 s: never idle for 20 s, but 100 tokens at 250 ms each + 10 s = a 35 s cap.
        let provider = ScriptedProvider(
            name: "openai-compatible", script: { _, _ in try await ScriptedProvider.hang() },
            stream: { _, _ in
                AsyncThrowingStream { continuation in
                    let task = Task {
                        do {
                            while true {
                                continuation.yield(.delta("word "))
                                try await clock.sleep(for: .seconds(5))
                            }
                        } catch {
                            continuation.finish(throwing: error)
                        }
                    }
                    continuation.onTermination = { _ in task.cancel() }
                }
            })
        let deadlines = StreamDeadlines(firstToken: .seconds(10), idle: .seconds(20))
        #expect(deadlines.overall(maxOutputTokens: 100) == .seconds(35))
        let stream = resilient(provider, clock: clock, deadlines: deadlines, attempts: attempts).stream(request)
        let (pieces, error) = await consume(stream, clock: clock, ready: 1)
        #expect(pieces >= 1)
        let failure = try #require(error)
        #expect(failure.code == .timeout)
        #expect(failure.message.contains("overall cap of 35 s"))
        // The cap fires at 35 s; the manual clock may already stand at the producer's next 5 s step when the
        // attempt is recorded (both sleepers wake on the same advance), so its latency is 35 to 40 s, never more.
        let latency = try #require(attempts.all.first?.latency)
        #expect(latency >= .seconds(35) && latency <= .seconds(40), "\(latency)")
    }

    @Test func aRunawayStreamIsStoppedAndNotRetried() async throws {
        let attempts = RecordedAttempts()
        let produced = Mutex(0)
        let provider = ScriptedProvider(
            name: "openai-compatible", script: { _, _ in try await ScriptedProvider.hang() },
            stream: { _, _ in
                AsyncThrowingStream(unfolding: {
                    let count = produced.withLock { value -> Int in
                        value += 1
                        return value
                    }
                    return count > 5000 ? nil : .delta("Client email: MariaLopez, ")
                })
            })
        let resilient = ResilientProvider(
            routes: [ProviderRoute(provider: provider), ProviderRoute(provider: ScriptedProvider.offline())],
            policy: RetryPolicy(maxAttempts: 3, attemptTimeout: nil), observer: attempts.observer)
        await #expect(throws: ProviderError.self) {
            for try await _ in resilient.stream(request) {}
        }
        #expect(produced.withLock { $0 } < 40)
        #expect(attempts.all.count == 1)
        guard case .failure(let code, _, _, let message) = attempts.all[0].outcome else {
            Issue.record("expected a failure")
            return
        }
        #expect(code == "output.degenerate")
        #expect(message.contains("MariaLopez"))
    }

    @Test func aWholeAnswerThatRepeatsIsDegenerateToo() async throws {
        let text = #"{"body":""# + String(repeating: "Client email: MariaLopez, ", count: 60) + #""}"#
        let resilient = ResilientProvider(
            routes: [ProviderRoute(provider: ScriptedProvider.answering(text, name: "openai-compatible"))],
            policy: RetryPolicy(maxAttempts: 3, attemptTimeout: nil))
        do {
            _ = try await resilient.complete(request)
            Issue.record("expected output.degenerate")
        } catch let error as ProviderError {
            #expect(error.code == .degenerateOutput)
            #expect((error.underlying as? DegenerateAnswer)?.degeneration.repeated.lowercased().contains("marialopez") == true)
        }
    }
}
