import Foundation
import KAMCore

/// Turns Chat Completions server-sent events into `ChatStreamEvent`s, assembling the final response.
///
/// Pure state machine: feed it events, then `finish()`. A stream that ends without a
/// `finish_reason` and without `[DONE]` is truncated — an error, not a short answer.
public struct OpenAIStreamDecoder: Sendable {
    public let providerName: String
    public let requestedModel: String
    private var text = ""
    private var model: String?
    private var usage: Usage?
    private var finishReason: String?
    private var sawDone = false

    public init(providerName: String, requestedModel: String) {
        self.providerName = providerName
        self.requestedModel = requestedModel
    }

    /// The events one server-sent event produces.
    public mutating func consume(_ event: ServerSentEvent) throws -> [ChatStreamEvent] {
        let data = event.data.trimmingCharacters(in: .whitespaces)
        if data == "[DONE]" {
            sawDone = true
            return []
        }
        let chunk: OpenAIWire.Chunk
        do {
            chunk = try JSONDecoder().decode(OpenAIWire.Chunk.self, from: Data(data.utf8))
        } catch {
            if let failure = try? JSONDecoder().decode(OpenAIWire.ErrorBody.self, from: Data(data.utf8)),
                let message = failure.error?.message
            {
                throw ProviderError(
                    code: .httpStatus, message: "\(providerName) reported an error mid-stream: \(SecretRedactor.redact(message))",
                    provider: providerName, model: requestedModel, isRetryable: true)
            }
            throw ProviderError(
                code: .malformedResponse,
                message: "\(providerName) sent a stream event that is not a chat.completion.chunk: "
                    + SecretRedactor.redact(String(data.prefix(200))),
                provider: providerName, model: requestedModel, isRetryable: true, underlying: WireDecodingError(error))
        }
        var events: [ChatStreamEvent] = []
        if let name = chunk.model, !name.isEmpty { model = name }
        for choice in chunk.choices ?? [] where (choice.index ?? 0) == 0 {
            if let piece = choice.delta?.content ?? choice.delta?.refusal, !piece.isEmpty {
                text += piece
                events.append(.delta(piece))
            }
            if let reason = choice.finish_reason { finishReason = reason }
        }
        if let wireUsage = chunk.usage {
            usage = wireUsage.kamUsage
            events.append(.usage(wireUsage.kamUsage))
        }
        return events
    }

    /// The assembled answer once the stream has ended.
    /// - Throws: `.truncatedStream` when the stream stopped before its end.
    public func finish(latency: Duration = .zero) throws -> ChatResponse {
        guard finishReason != nil || sawDone else {
            throw ProviderError(
                code: .truncatedStream,
                message: "the \(providerName) stream for model \(requestedModel) stopped after \(text.count) characters "
                    + "without a finish_reason or [DONE]; the connection was probably cut",
                provider: providerName, model: requestedModel, isRetryable: true)
        }
        return ChatResponse(
            text: text, model: model ?? requestedModel, provider: providerName, usage: usage ?? .zero,
            finishReason: OpenAIWire.finishReason(finishReason), latency: latency)
    }
}
