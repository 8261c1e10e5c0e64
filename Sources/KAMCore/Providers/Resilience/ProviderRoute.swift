/// One step of a fallback chain: a provider and, optionally, the model to ask it for.
public struct ProviderRoute: Sendable {
    public var provider: any ModelProvider
    /// The model for this step; `nil` keeps the request's model.
    public var model: String?
    /// Attempts for this step; `nil` uses the policy's `maxAttempts`.
    public var maxAttempts: Int?
    /// Timeout of one attempt on this step (a slow local model may need more); `nil` uses the policy's.
    public var attemptTimeout: Duration?
    /// The deadlines of a streamed attempt on this step (first token, idle, overall cap); `nil` times a streamed
    /// attempt like a whole one, by `attemptTimeout`.
    public var streamDeadlines: StreamDeadlines?
    /// The sampling options for this step, replacing the request's (a fallback model's own, from its model entry);
    /// `nil` keeps the request's.
    public var options: [String: JSONValue]?

    public init(
        provider: any ModelProvider, model: String? = nil, maxAttempts: Int? = nil, attemptTimeout: Duration? = nil,
        streamDeadlines: StreamDeadlines? = nil, options: [String: JSONValue]? = nil
    ) {
        self.provider = provider
        self.model = model
        self.maxAttempts = maxAttempts
        self.attemptTimeout = attemptTimeout
        self.streamDeadlines = streamDeadlines
        self.options = options
    }
}
