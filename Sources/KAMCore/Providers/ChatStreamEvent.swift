/// One event of a streamed answer.
///
/// A stream yields `delta`s as text arrives, possibly `usage` once the provider reports it, and ends
/// with exactly one `completed` carrying the assembled response, so a consumer that only wants the
/// final answer can skip the rest.
public enum ChatStreamEvent: Sendable, Hashable {
    /// A piece of the answer text (for structured output, a piece of the JSON document).
    case delta(String)
    /// Token usage, when the provider reports it (OpenAI's last chunk, Anthropic `message_delta`).
    case usage(Usage)
    /// The whole answer; always the last event of a stream that did not fail.
    case completed(ChatResponse)
}
