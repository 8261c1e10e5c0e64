/// Why a model stopped producing output.
///
/// `length` is a normal outcome, not an error: the text is cut off and the caller decides whether to
/// repair, retry with more tokens, or report it.
public enum FinishReason: String, Codable, Sendable, Hashable {
    /// The model ended on its own (OpenAI `stop`, Anthropic `end_turn`/`stop_sequence`, forced tool use).
    case stop
    /// The output hit `maxOutputTokens` (OpenAI `length`, Anthropic `max_tokens`).
    case length
    /// The provider filtered the output (OpenAI `content_filter`, Anthropic `refusal`).
    case contentFilter = "content_filter"
    /// The model asked for a tool the caller did not force.
    case toolCall = "tool_call"
    /// Anything else the provider reported, or nothing at all.
    case unknown
}
