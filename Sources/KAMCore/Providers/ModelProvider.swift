/// A backend that answers chat requests: a remote API, a local server, the offline generator, a replay cache.
///
/// Adapters decide retryability where the status is known and throw `ProviderError`; resilience
/// (retries, fallbacks, rate limits) wraps providers from outside (`ResilientProvider`).
public protocol ModelProvider: Sendable {
    /// The backend name recorded with every call (`openai`, `anthropic`, `offline`...).
    var name: String { get }

    /// Sends the request and returns the whole answer.
    func complete(_ request: ChatRequest) async throws -> ChatResponse

    /// Sends the request and yields the answer as it arrives, ending with `.completed`.
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error>
}

extension ModelProvider {
    /// A stream made of one complete call, for backends that have nothing to stream (replay): the whole answer
    /// as one piece (`streamInPieces` with no length limit).
    public func streamByCompleting(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        streamInPieces(request, length: .max)
    }

    /// Drains a stream into its final response; throws if the stream ends without `.completed`.
    public func collect(_ stream: AsyncThrowingStream<ChatStreamEvent, any Error>) async throws -> ChatResponse {
        for try await event in stream {
            if case .completed(let response) = event { return response }
        }
        throw ProviderError(
            code: .truncatedStream, message: "the \(name) stream ended without a final response",
            provider: name, isRetryable: true)
    }
}
