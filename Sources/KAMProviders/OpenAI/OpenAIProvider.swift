import Foundation
import KAMCore

/// The `openai` backend: Chat Completions over an `HTTPTransport`.
public struct OpenAIProvider: ModelProvider {
    public var codec: OpenAICodec
    public var transport: any HTTPTransport
    /// One attempt's bound; the resilience layer bounds the whole call.
    public var timeout: Duration

    public init(
        apiKey: String?, baseURL: String = "https://api.openai.com/v1", transport: any HTTPTransport,
        timeout: Duration = .seconds(120)
    ) {
        self.codec = OpenAICodec(providerName: "openai", baseURL: baseURL, apiKey: apiKey)
        self.transport = transport
        self.timeout = timeout
    }

    public init(codec: OpenAICodec, transport: any HTTPTransport, timeout: Duration = .seconds(120)) {
        self.codec = codec
        self.transport = transport
        self.timeout = timeout
    }

    public var name: String { codec.providerName }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        try await OpenAIExchange.complete(request, codec: codec, transport: transport, timeout: timeout)
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        OpenAIExchange.stream(request, codec: codec, transport: transport, timeout: timeout)
    }
}

/// The transport side of a Chat Completions call, shared by `openai` and `openai-compatible`.
enum OpenAIExchange {
    static func complete(
        _ request: ChatRequest, codec: OpenAICodec, transport: any HTTPTransport, timeout: Duration
    ) async throws -> ChatResponse {
        let started = ContinuousClock.now
        let response = try await ProviderTransportErrors.tagging(codec.providerName, request.model) {
            try await transport.send(codec.encodeRequest(request, stream: false), timeout: timeout)
        }
        return try codec.decodeResponse(response, request: request, latency: ContinuousClock.now - started)
    }

    static func stream(
        _ request: ChatRequest, codec: OpenAICodec, transport: any HTTPTransport, timeout: Duration
    ) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        ChatEventStreaming.stream(
            providerName: codec.providerName, model: request.model,
            decoder: OpenAIStreamDecoder(providerName: codec.providerName, requestedModel: request.model),
            open: { try await transport.stream(codec.encodeRequest(request, stream: true), timeout: timeout) },
            decodeError: { codec.decodeError(status: $0, headers: $1, body: $2, model: request.model) })
    }
}
