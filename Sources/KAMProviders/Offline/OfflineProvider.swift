import KAMCore

/// The `offline` backend: answers without a model, deterministically, from the request's context.
///
/// The default when no key is configured and the last step of every fallback chain. Its answers are
/// always labelled (`isOffline`, provider `offline`, model `offline`) so output and storage never pass
/// them off as a model's. Usage is counted with the given counter (about four bytes a token without one).
public struct OfflineProvider: ModelProvider {
    public var builder: OfflineAnswerBuilder
    public var tokenCounter: (any TokenCounting)?

    public init(builder: OfflineAnswerBuilder = OfflineAnswerBuilder(), tokenCounter: (any TokenCounting)? = nil) {
        self.builder = builder
        self.tokenCounter = tokenCounter
    }

    public var name: String { "offline" }

    public static let modelName = "offline"

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        try Task.checkCancellation()
        let text = builder.answer(for: request)
        let input = request.messages.reduce(0) { $0 + count($1.content) }
        return ChatResponse(
            text: text, model: Self.modelName, provider: name,
            usage: Usage(inputTokens: input, outputTokens: count(text)), finishReason: .stop, isOffline: true)
    }

    /// The answer in pieces, as a model would stream it.
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        streamInPieces(request)
    }

    private func count(_ text: String) -> Int {
        if let tokenCounter { return tokenCounter.countTokens(text) }
        return (text.utf8.count + 3) / 4
    }
}
