import Foundation
import KAMCore

/// The `anthropic` backend: the Messages API over an `HTTPTransport`.
public struct AnthropicProvider: ModelProvider {
    public var codec: AnthropicCodec
    public var transport: any HTTPTransport
    public var timeout: Duration

    public init(
        apiKey: String?, baseURL: String = "https://api.anthropic.com", transport: any HTTPTransport,
        timeout: Duration = .seconds(120)
    ) {
        self.codec = AnthropicCodec(baseURL: baseURL, apiKey: apiKey)
        self.transport = transport
        self.timeout = timeout
    }

    public var name: String { codec.providerName }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let started = ContinuousClock.now
        let response = try await ProviderTransportErrors.tagging(name, request.model) {
            try await transport.send(codec.encodeRequest(request, stream: false), timeout: timeout)
        }
        return try codec.decodeResponse(response, request: request, latency: ContinuousClock.now - started)
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        let codec = self.codec
        let transport = self.transport
        let timeout = self.timeout
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let started = ContinuousClock.now
                    try await ProviderTransportErrors.tagging(codec.providerName, request.model) {
                        let response = try await transport.stream(codec.encodeRequest(request, stream: true), timeout: timeout)
                        guard (200..<300).contains(response.status) else {
                            let body = try await response.collectBody()
                            throw codec.decodeError(
                                status: response.status, headers: response.headers, body: body, model: request.model)
                        }
                        var parser = ServerSentEventParser()
                        var decoder = AnthropicStreamDecoder(
                            providerName: codec.providerName, requestedModel: request.model,
                            forcedTool: request.outputSchema != nil)
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
