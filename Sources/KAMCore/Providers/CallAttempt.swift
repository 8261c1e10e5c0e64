/// One try at a model call: what was asked, who answered, how it ended, what it cost in tokens and time.
///
/// Every attempt — retries, fallbacks, failures — is reported to an `AttemptObserver`, so the
/// metering layer can log and charge each of them, not just the one that answered.
public struct CallAttempt: Sendable, Hashable, Codable {
    /// How an attempt ended.
    public enum Outcome: Sendable, Hashable, Codable {
        case success(FinishReason)
        case failure(code: String, httpStatus: Int?, retryable: Bool, message: String)

        public var isSuccess: Bool {
            if case .success = self { return true }
            return false
        }
    }

    /// 1-based position of this attempt within the call (across retries and fallbacks).
    public var number: Int
    public var provider: String
    public var model: String
    public var outcome: Outcome
    /// Tokens the attempt consumed (zero when it failed before an answer).
    public var usage: Usage
    public var latency: Duration
    public var isOffline: Bool
    /// The prompt id from the request metadata, for the log row.
    public var promptID: String?

    public init(
        number: Int, provider: String, model: String, outcome: Outcome, usage: Usage = .zero,
        latency: Duration = .zero, isOffline: Bool = false, promptID: String? = nil
    ) {
        self.number = number
        self.provider = provider
        self.model = model
        self.outcome = outcome
        self.usage = usage
        self.latency = latency
        self.isOffline = isOffline
        self.promptID = promptID
    }
}

/// Receives every attempt of every call, in order, before the call returns.
///
/// A struct of one closure so that the metering layer (ledger, call log) and tests can plug in
/// without a class hierarchy.
public struct AttemptObserver: Sendable {
    public var record: @Sendable (CallAttempt) async -> Void

    public init(record: @escaping @Sendable (CallAttempt) async -> Void) {
        self.record = record
    }

    /// Drops every attempt.
    public static let none = AttemptObserver { _ in }

    /// Calls both observers, this one first.
    public func then(_ other: AttemptObserver) -> AttemptObserver {
        let first = record
        return AttemptObserver { attempt in
            await first(attempt)
            await other.record(attempt)
        }
    }
}
