/// What one model costs per token, and how much it can read and write.
///
/// Cached input and cache creation have their own prices at OpenAI and Anthropic; when a model has
/// none listed, those tokens cost the plain input price (the provider charges them as input).
public struct ModelPrice: Sendable, Hashable, Codable {
    /// The provider that sells the model (`openai`, `anthropic`, `gemini`, `offline`, ...).
    public var provider: String
    /// Price of one uncached input token.
    public var input: Money
    /// Price of one output token.
    public var output: Money
    /// Price of one input token read from the provider's cache.
    public var cachedInput: Money?
    /// Price of one input token written to the provider's cache (Anthropic).
    public var cacheCreationInput: Money?
    /// The most input tokens the model accepts.
    public var contextWindow: Int?
    /// The most output tokens the model produces in one answer.
    public var maxOutputTokens: Int?

    public init(
        provider: String, input: Money, output: Money, cachedInput: Money? = nil,
        cacheCreationInput: Money? = nil, contextWindow: Int? = nil, maxOutputTokens: Int? = nil
    ) {
        self.provider = provider
        self.input = input
        self.output = output
        self.cachedInput = cachedInput
        self.cacheCreationInput = cacheCreationInput
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
    }

    /// The cost of the tokens a call used.
    ///
    /// `Usage.inputTokens` counts every prompt token, cached and cache-written ones included, so the
    /// uncached part is what remains after taking those out.
    public func cost(of usage: Usage) -> Money {
        let cached = max(0, usage.cachedInputTokens)
        let created = max(0, usage.cacheCreationInputTokens)
        let uncached = max(0, usage.inputTokens - cached - created)
        return input * uncached
            + (cachedInput ?? input) * cached
            + (cacheCreationInput ?? input) * created
            + output * max(0, usage.outputTokens)
    }

    /// The most a call can cost: every input token uncached, and output up to `maxOutputTokens`.
    public func worstCaseCost(inputTokens: Int, maxOutputTokens: Int) -> Money {
        let dearestInput = [input, cachedInput ?? input, cacheCreationInput ?? input].max() ?? input
        return dearestInput * max(0, inputTokens) + output * max(0, maxOutputTokens)
    }
}
