import Foundation
import KAMCore
import Synchronization

/// The `openai-compatible` backend: any server speaking Chat Completions (llama.cpp, vLLM, Ollama).
///
/// Structured output uses `json_schema` when the server accepts it; a server that rejects it with a
/// 400 naming `response_format`/`json_schema` gets the schema in the prompt instead, and that choice
/// is remembered for the provider's lifetime. Keys are optional: local servers usually have none.
public struct OpenAICompatibleProvider: ModelProvider {
    public var baseURL: String
    public var apiKey: String?
    public var transport: any HTTPTransport
    public var timeout: Duration
    /// The transport's limit on a streamed answer when it differs from `timeout`: a stream is bounded by its own
    /// deadlines (`StreamDeadlines`, enforced by `ResilientProvider`), which scale with the output asked for; nil uses
    /// `timeout`.
    public var streamTimeout: Duration?
    /// Bounds added to the schema the server's grammar is built from (`SchemaBounds`); nil sends it as is.
    public var schemaBounds: SchemaBounds?
    private let schemaMode: SchemaModeMemory

    public init(
        baseURL: String, apiKey: String? = nil, transport: any HTTPTransport, timeout: Duration = .seconds(120),
        schemaMode: OpenAICodec.SchemaMode = .jsonSchema, schemaBounds: SchemaBounds? = SchemaBounds(),
        streamTimeout: Duration? = nil
    ) {
        self.streamTimeout = streamTimeout
        self.schemaBounds = schemaBounds
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.transport = transport
        self.timeout = timeout
        self.schemaMode = SchemaModeMemory(schemaMode)
    }

    public var name: String { "openai-compatible" }

    /// The codec with the schema mode currently in use.
    public var codec: OpenAICodec {
        OpenAICodec(
            providerName: name, baseURL: baseURL, apiKey: apiKey, schemaMode: schemaMode.value,
            useMaxCompletionTokens: false, schemaBounds: schemaBounds)
    }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let codec = self.codec
        do {
            return try await OpenAIExchange.complete(request, codec: codec, transport: transport, timeout: timeout)
        } catch let error as ProviderError
            where request.outputSchema != nil && codec.schemaMode == .jsonSchema && Self.rejectsJSONSchema(error)
        {
            schemaMode.value = .inPrompt
            return try await OpenAIExchange.complete(request, codec: self.codec, transport: transport, timeout: timeout)
        }
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        let codec = self.codec
        let transport = self.transport
        let timeout = self.streamTimeout ?? self.timeout
        let memory = schemaMode
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var currentCodec = codec
                    var retriedWithPrompt = false
                    while true {
                        var forwarded = false
                        do {
                            for try await event in OpenAIExchange.stream(
                                request, codec: currentCodec, transport: transport, timeout: timeout)
                            {
                                forwarded = true
                                continuation.yield(event)
                            }
                            break
                        } catch let error as ProviderError
                            where !forwarded && !retriedWithPrompt && request.outputSchema != nil
                            && currentCodec.schemaMode == .jsonSchema && Self.rejectsJSONSchema(error)
                        {
                            memory.value = .inPrompt
                            currentCodec.schemaMode = .inPrompt
                            retriedWithPrompt = true
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Whether a 400 says the server does not know structured output.
    static func rejectsJSONSchema(_ error: ProviderError) -> Bool {
        guard error.httpStatus == 400 || error.httpStatus == 422 else { return false }
        let message = error.message.lowercased()
        return message.contains("response_format") || message.contains("json_schema")
    }
}

/// The schema mode a compatible server turned out to accept, shared by copies of the provider.
final class SchemaModeMemory: Sendable {
    private let storage: Mutex<OpenAICodec.SchemaMode>
    init(_ mode: OpenAICodec.SchemaMode) { storage = Mutex(mode) }
    var value: OpenAICodec.SchemaMode {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
