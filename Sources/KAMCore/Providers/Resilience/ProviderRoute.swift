/// One step of a fallback chain: a provider and, optionally, the model to ask it for.
public struct ProviderRoute: Sendable {
    public var provider: any ModelProvider
    /// The model for this step; `nil` keeps the request's model.
    public var model: String?
    /// Attempts for this step; `nil` uses the policy's `maxAttempts`.
    public var maxAttempts: Int?
    /// Timeout of one attempt on this step (a slow local model may need more); `nil` uses the policy's.
    public var attemptTimeout: Duration?

    public init(provider: any ModelProvider, model: String? = nil, maxAttempts: Int? = nil, attemptTimeout: Duration? = nil) {
        self.provider = provider
        self.model = model
        self.maxAttempts = maxAttempts
        self.attemptTimeout = attemptTimeout
    }
}
