import KAMCore
import Synchronization

/// An `AttemptObserver` that keeps every attempt it is told about, for assertions on retries and fallbacks.
///
/// ```swift
/// let attempts = RecordedAttempts()
/// let resilient = ResilientProvider(routes: routes, policy: policy, observer: attempts.observer)
/// _ = try await resilient.complete(request)
/// #expect(attempts.all.map(\.provider) == ["openai", "offline"])
/// ```
public final class RecordedAttempts: Sendable {
    private let list = Mutex<[CallAttempt]>([])

    public init() {}

    /// The observer to hand to the code under test.
    public var observer: AttemptObserver { AttemptObserver { attempt in self.list.withLock { $0.append(attempt) } } }

    /// The attempts so far, in the order they were reported.
    public var all: [CallAttempt] { list.withLock { $0 } }
}
