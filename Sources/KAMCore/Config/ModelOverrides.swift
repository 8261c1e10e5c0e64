/// `--provider`, `--model` and `--base-url` from the command line, which win over `kam.yaml`.
public struct ModelOverrides: Sendable, Hashable {
    /// A provider name from the file, or a kind (`openai`, `anthropic`, `openai-compatible`, `offline`, `replay`).
    public var provider: String?
    /// A model name from the file, `provider/model`, or a raw model id for the provider.
    public var model: String?
    /// A base URL for an `openai-compatible` server.
    public var baseURL: String?

    public init(provider: String? = nil, model: String? = nil, baseURL: String? = nil) {
        self.provider = provider
        self.model = model
        self.baseURL = baseURL
    }

    public var isEmpty: Bool { provider == nil && model == nil && baseURL == nil }
}
