/// Tokens a model call consumed, as the provider reported them (or as counted, for offline calls).
public struct Usage: Codable, Sendable, Hashable {
    /// Prompt tokens, including the cached ones.
    public var inputTokens: Int
    public var outputTokens: Int
    /// Prompt tokens served from the provider's cache (OpenAI `cached_tokens`, Anthropic `cache_read_input_tokens`).
    public var cachedInputTokens: Int
    /// Prompt tokens written to the provider's cache (Anthropic `cache_creation_input_tokens`).
    public var cacheCreationInputTokens: Int

    public init(inputTokens: Int = 0, outputTokens: Int = 0, cachedInputTokens: Int = 0, cacheCreationInputTokens: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.cacheCreationInputTokens = cacheCreationInputTokens
    }

    public static let zero = Usage()

    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        Usage(
            inputTokens: lhs.inputTokens + rhs.inputTokens,
            outputTokens: lhs.outputTokens + rhs.outputTokens,
            cachedInputTokens: lhs.cachedInputTokens + rhs.cachedInputTokens,
            cacheCreationInputTokens: lhs.cacheCreationInputTokens + rhs.cacheCreationInputTokens
        )
    }

    public static func += (lhs: inout Usage, rhs: Usage) { lhs = lhs + rhs }
}
