/// A model's answer with what it cost in tokens and time, and who actually answered.
public struct ChatResponse: Codable, Sendable, Hashable {
    /// The answer text; for structured output, the JSON document as text.
    public var text: String
    /// The model that answered, as the provider reported it (may differ from the requested one).
    public var model: String
    /// The backend name (`openai`, `anthropic`, `openai-compatible`, `offline`, `replay`).
    public var provider: String
    public var usage: Usage
    public var finishReason: FinishReason
    /// Time spent in the call that produced this answer, as measured by the caller's clock.
    public var latency: Duration
    /// True when no model produced this answer; it must be labelled so in output and storage.
    public var isOffline: Bool
    /// Attempts it took, including retries and fallbacks (1 when the first attempt succeeded).
    public var attempts: Int
    /// The model name the call asked for, as configured (the answering route's model); nil when not known. A local
    /// server may answer with a file path (`/models/smollm2.gguf`): what KAM records is the configured name, and
    /// `model` is kept beside it.
    public var requestedModel: String?

    /// The configured name when known, else the name the server answered with.
    public var configuredModel: String { requestedModel ?? model }

    public init(
        text: String,
        model: String,
        provider: String,
        usage: Usage = .zero,
        finishReason: FinishReason = .stop,
        latency: Duration = .zero,
        isOffline: Bool = false,
        attempts: Int = 1
    ) {
        self.text = text
        self.model = model
        self.provider = provider
        self.usage = usage
        self.finishReason = finishReason
        self.latency = latency
        self.isOffline = isOffline
        self.attempts = attempts
    }

    /// The answer parsed as JSON, or `nil` when it is not a JSON document (cut-off output, free text).
    public var json: JSONValue? {
        try? JSONValue.parse(text)
    }
}
