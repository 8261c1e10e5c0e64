/// A model call that failed, with enough to act on and to decide whether to try again.
///
/// Retryability is decided by the adapter, where the HTTP status and the failure are known.
/// The message never contains a key: adapters build it from redacted text (`SecretRedactor`).
public struct ProviderError: Error, Sendable, CustomStringConvertible {
    /// A stable machine-readable kind of failure.
    public struct Code: RawRepresentable, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The server answered with an HTTP error status (see `httpStatus`).
        public static let httpStatus = Code(rawValue: "provider.http-status")
        /// 429: the provider's rate limit.
        public static let rateLimited = Code(rawValue: "provider.rate-limited")
        /// No answer in time (connect, read, or the overall deadline).
        public static let timeout = Code(rawValue: "provider.timeout")
        /// Connection refused, reset or closed early.
        public static let connection = Code(rawValue: "provider.connection")
        /// The answer was not the JSON the wire format promises.
        public static let malformedResponse = Code(rawValue: "provider.malformed-response")
        /// A streamed answer ended before its final event.
        public static let truncatedStream = Code(rawValue: "provider.truncated-stream")
        /// The caller cancelled the call.
        public static let cancelled = Code(rawValue: "provider.cancelled")
        /// A key, base URL or model is missing or wrong in the configuration.
        public static let configuration = Code(rawValue: "provider.configuration")
        /// The replay cache has no recording for this request.
        public static let notRecorded = Code(rawValue: "provider.not-recorded")
        /// The local rate limiter would need longer than the call's deadline allows.
        public static let rateLimitExceeded = Code(rawValue: "provider.rate-limit-exceeded")
        /// Every provider of the fallback chain failed.
        public static let allProvidersFailed = Code(rawValue: "provider.all-providers-failed")

        /// The answer started repeating itself and was stopped (`RepetitionDetector`); `underlying` is a `DegenerateAnswer`.
        public static let degenerateOutput = Code(rawValue: "output.degenerate")

        /// Every code above (`ErrorCodeSpellingTests` checks their spelling).
        public static let allCases: [Code] = [
            .httpStatus, .rateLimited, .timeout, .connection, .malformedResponse, .truncatedStream, .cancelled,
            .configuration, .notRecorded, .rateLimitExceeded, .allProvidersFailed, .degenerateOutput,
        ]
    }

    public var code: Code
    /// What went wrong, where, and what to do. Never contains a key.
    public var message: String
    /// The backend that failed (`openai`, ...), when known.
    public var provider: String?
    /// The model that was asked, when known.
    public var model: String?
    /// The HTTP status the server answered, when there was one.
    public var httpStatus: Int?
    /// Whether trying the same call again may succeed (429, 5xx, timeouts, resets).
    public var isRetryable: Bool
    /// How long the server asked to wait before trying again (`Retry-After`).
    public var retryAfter: Duration?
    /// The error underneath (a transport error, a decoding error, the last attempt's error).
    public var underlying: (any Error & Sendable)?

    public init(
        code: Code,
        message: String,
        provider: String? = nil,
        model: String? = nil,
        httpStatus: Int? = nil,
        isRetryable: Bool = false,
        retryAfter: Duration? = nil,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.provider = provider
        self.model = model
        self.httpStatus = httpStatus
        self.isRetryable = isRetryable
        self.retryAfter = retryAfter
        self.underlying = underlying
    }

    public var description: String {
        var parts = ["\(code)"]
        if let provider { parts.append("provider \(provider)") }
        if let model { parts.append("model \(model)") }
        if let httpStatus { parts.append("HTTP \(httpStatus)") }
        var text = "[\(parts.joined(separator: ", "))] \(message)"
        if let underlying { text += " (underlying: \(underlying))" }
        return SecretRedactor.redact(text)
    }

    /// Whether an HTTP status is worth retrying: 408, 409 (Anthropic lock conflicts), 429, 500, 502, 503, 504, 529.
    public static func isRetryableStatus(_ status: Int) -> Bool {
        [408, 409, 429, 500, 502, 503, 504, 529].contains(status)
    }
}
