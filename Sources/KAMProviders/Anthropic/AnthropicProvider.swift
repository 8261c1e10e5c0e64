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
        return ChatEventStreaming.stream(
            providerName: codec.providerName, model: request.model,
            decoder: AnthropicStreamDecoder(
                providerName: codec.providerName, requestedModel: request.model, forcedTool: request.outputSchema != nil),
            open: { try await transport.stream(codec.encodeRequest(request, stream: true), timeout: timeout) },
            decodeError: { codec.decodeError(status: $0, headers: $1, body: $2, model: request.model) })
    }
}
