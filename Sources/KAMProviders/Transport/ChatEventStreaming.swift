import Foundation
import KAMCore

/// Turns one backend's server-sent events into chat stream events.
protocol ChatStreamDecoding: Sendable {
    mutating func consume(_ event: ServerSentEvent) throws -> [ChatStreamEvent]
    func finish(latency: Duration) throws -> ChatResponse
}

extension AnthropicStreamDecoder: ChatStreamDecoding {}
extension OpenAIStreamDecoder: ChatStreamDecoding {}

/// The streaming exchange every SSE backend shares: open the stream, turn an error status into the
/// backend's `ProviderError`, feed the body through the event parser and the backend's decoder, and
/// end with `.completed`. Cancelling the consumer cancels the request.
enum ChatEventStreaming {
    static func stream<Decoder: ChatStreamDecoding>(
        providerName: String, model: String, decoder: Decoder,
        open: @escaping @Sendable () async throws -> HTTPStreamResponse,
        decodeError: @escaping @Sendable (_ status: Int, _ headers: [String: String], _ body: Data) -> ProviderError
    ) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let started = ContinuousClock.now
                    try await ProviderTransportErrors.tagging(providerName, model) {
                        let response = try await open()
                        guard (200..<300).contains(response.status) else {
                            throw decodeError(response.status, response.headers, try await response.collectBody())
                        }
                        var parser = ServerSentEventParser()
                        var decoder = decoder
                        for try await chunk in response.body {
                            for event in parser.feed(chunk) {
                                for output in try decoder.consume(event) { continuation.yield(output) }
                            }
                        }
                        for event in parser.finish() {
                            for output in try decoder.consume(event) { continuation.yield(output) }
                        }
                        continuation.yield(.completed(try decoder.finish(latency: ContinuousClock.now - started)))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
