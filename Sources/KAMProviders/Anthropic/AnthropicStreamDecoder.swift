import Foundation
import KAMCore

/// Turns Messages API stream events into `ChatStreamEvent`s.
///
/// `message_start` carries the input usage, `content_block_delta` the text (`text_delta`) or the
/// forced tool's JSON (`input_json_delta`), `message_delta` the stop reason and output usage, and
/// `message_stop` ends the stream. No `message_stop` means the stream was cut.
public struct AnthropicStreamDecoder: Sendable {
    public let providerName: String
    public let requestedModel: String
    public let forcedTool: Bool
    private var text = ""
    private var model: String?
    private var usage = Usage.zero
    private var stopReason: String?
    private var stopped = false

    public init(providerName: String, requestedModel: String, forcedTool: Bool) {
        self.providerName = providerName
        self.requestedModel = requestedModel
        self.forcedTool = forcedTool
    }

    public mutating func consume(_ sse: ServerSentEvent) throws -> [ChatStreamEvent] {
        let event: AnthropicWire.StreamEvent
        do {
            event = try JSONDecoder().decode(AnthropicWire.StreamEvent.self, from: Data(sse.data.utf8))
        } catch {
            throw ProviderError(
                code: .malformedResponse,
                message: "\(providerName) sent a stream event that is not JSON: " + SecretRedactor.redact(String(sse.data.prefix(200))),
                provider: providerName, model: requestedModel, isRetryable: true, underlying: WireDecodingError(error))
        }
        switch event.type {
        case "message_start":
            if let message = event.message {
                model = message.model
                if let wire = message.usage { usage = wire.kamUsage }
            }
            return []
        case "content_block_delta":
            guard let delta = event.delta else { return [] }
            let piece: String?
            switch delta.type {
            case "text_delta": piece = forcedTool ? nil : delta.text
            case "input_json_delta": piece = forcedTool ? delta.partial_json : nil
            default: piece = nil
            }
            guard let piece, !piece.isEmpty else { return [] }
            text += piece
            return [.delta(piece)]
        case "message_delta":
            if let reason = event.delta?.stop_reason { stopReason = reason }
            if let wire = event.usage {
                // message_delta usage is cumulative; input counts appear only when the server repeats them.
                usage.outputTokens = wire.output_tokens ?? usage.outputTokens
                if wire.input_tokens != nil || wire.cache_read_input_tokens != nil { usage = wire.kamUsage }
                return [.usage(usage)]
            }
            return []
        case "message_stop":
            stopped = true
            return []
        case "error":
            let type = event.error?.type ?? "error"
            throw ProviderError(
                code: type == "overloaded_error" ? .httpStatus : .malformedResponse,
                message: "\(providerName) reported \(type) mid-stream: \(SecretRedactor.redact(event.error?.message ?? ""))",
                provider: providerName, model: requestedModel, httpStatus: type == "overloaded_error" ? 529 : nil,
                isRetryable: true)
        default:
            return []
        }
    }

    public func finish(latency: Duration = .zero) throws -> ChatResponse {
        guard stopped || stopReason != nil else {
            throw ProviderError(
                code: .truncatedStream,
                message: "the \(providerName) stream for model \(requestedModel) ended after \(text.count) characters "
                    + "without message_stop; the connection was probably cut",
                provider: providerName, model: requestedModel, isRetryable: true)
        }
        return ChatResponse(
            text: text, model: model ?? requestedModel, provider: providerName, usage: usage,
            finishReason: AnthropicWire.finishReason(stopReason, forcedTool: forcedTool), latency: latency)
    }
}
