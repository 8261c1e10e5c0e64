import Foundation
import KAMCore

/// Pure encode/decode of OpenAI Chat Completions, shared by `openai` and `openai-compatible`.
///
/// No transport and no clock: tests call these with the shapes from OpenAI's OpenAPI description.
public struct OpenAICodec: Sendable {
    /// How the output schema is sent.
    public enum SchemaMode: String, Sendable, Hashable {
        /// `response_format: {type: json_schema, json_schema: {name, strict: true, schema}}`.
        case jsonSchema
        /// The schema is written into the system prompt, for servers without `json_schema`.
        case inPrompt
    }

    /// The provider name recorded with responses and errors.
    public var providerName: String
    /// Base URL up to and including `/v1` (`https://api.openai.com/v1`, `http://127.0.0.1:8080/v1`).
    public var baseURL: String
    /// Written to `Authorization: Bearer`; `nil` for local servers without keys.
    public var apiKey: String?
    public var schemaMode: SchemaMode
    /// OpenAI's newer models take `max_completion_tokens`; compatible servers know `max_tokens`.
    public var useMaxCompletionTokens: Bool
    /// Bounds added to the `json_schema` a grammar-constrained server gets (openai-compatible); nil sends the schema as is.
    public var schemaBounds: SchemaBounds?

    public init(
        providerName: String = "openai", baseURL: String = "https://api.openai.com/v1", apiKey: String?,
        schemaMode: SchemaMode = .jsonSchema, useMaxCompletionTokens: Bool = true, schemaBounds: SchemaBounds? = nil
    ) {
        self.schemaBounds = schemaBounds
        self.providerName = providerName
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.schemaMode = schemaMode
        self.useMaxCompletionTokens = useMaxCompletionTokens
    }

    /// The request body as a JSON value (before `extraOptions` are merged in by `encodeRequest`).
    public func body(_ request: ChatRequest, stream: Bool) -> JSONValue {
        var messages = request.messages.map { message -> JSONValue in
            ["role": .string(message.role.rawValue), "content": .string(message.content)]
        }
        var body: [String: JSONValue] = ["model": .string(request.model)]
        if let schema = request.outputSchema {
            switch schemaMode {
            case .jsonSchema:
                body["response_format"] = [
                    "type": "json_schema",
                    "json_schema": [
                        "name": .string(request.effectiveSchemaName), "strict": true,
                        "schema": schemaBounds.map { $0.apply(to: schema) } ?? schema,
                    ],
                ]
            case .inPrompt:
                let instruction = JSONValue.object([
                    "role": "system",
                    "content": .string(Self.schemaInstruction(schema, name: request.effectiveSchemaName)),
                ])
                messages.insert(instruction, at: 0)
                body["response_format"] = ["type": "json_object"]
            }
        }
        body["messages"] = .array(messages)
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if let maxTokens = request.maxOutputTokens {
            body[useMaxCompletionTokens ? "max_completion_tokens" : "max_tokens"] = .int(Int64(maxTokens))
        }
        if stream {
            body["stream"] = true
            body["stream_options"] = ["include_usage": true]
        }
        for (key, value) in request.extraOptions { body[key] = value }
        return .object(body)
    }

    /// The instruction used when the server cannot constrain output to a schema.
    public static func schemaInstruction(_ schema: JSONValue, name: String) -> String {
        "Answer with one JSON object only, no prose and no code fence. It must be valid against this JSON Schema "
            + "(named \(name)):\n\(schema.jsonText())"
    }

    /// `POST {baseURL}/chat/completions` with the JSON body.
    public func encodeRequest(_ request: ChatRequest, stream: Bool? = nil) -> HTTPRequestData {
        var headers = ["content-type": "application/json"]
        if stream ?? request.stream { headers["accept"] = "text/event-stream" }
        if let apiKey, !apiKey.isEmpty { headers["authorization"] = "Bearer \(apiKey)" }
        return HTTPRequestData(
            method: "POST", url: Self.join(baseURL, "chat/completions"), headers: headers,
            body: body(request, stream: stream ?? request.stream).jsonData())
    }

    /// `GET {baseURL}/models`: the cheapest call that shows the server answers and takes the key (the self-check's probe).
    public func modelsRequest() -> HTTPRequestData {
        var headers: [String: String] = [:]
        if let apiKey, !apiKey.isEmpty { headers["authorization"] = "Bearer \(apiKey)" }
        return HTTPRequestData(method: "GET", url: Self.join(baseURL, "models"), headers: headers)
    }

    /// Decodes a whole (non-streamed) response; error statuses become `ProviderError`s.
    ///
    /// `finish_reason: length` is a normal response with cut text, as is a refusal (its text is returned).
    public func decodeResponse(_ response: HTTPResponseData, request: ChatRequest, latency: Duration = .zero) throws
        -> ChatResponse
    {
        guard (200..<300).contains(response.status) else {
            throw decodeError(status: response.status, headers: response.headers, body: response.body, model: request.model)
        }
        let wire: OpenAIWire.Response
        do {
            wire = try JSONDecoder().decode(OpenAIWire.Response.self, from: response.body)
        } catch {
            throw malformed(response.body, model: request.model, error: error)
        }
        guard let choice = wire.choices.first else {
            throw ProviderError(
                code: .malformedResponse,
                message: "\(providerName) answered model \(request.model) with no choices; the server may not support this request",
                provider: providerName, model: request.model, httpStatus: response.status, isRetryable: true)
        }
        let text = choice.message?.content ?? choice.message?.refusal ?? ""
        var finish = OpenAIWire.finishReason(choice.finish_reason)
        if choice.message?.content == nil, choice.message?.refusal != nil { finish = .contentFilter }
        return ChatResponse(
            text: text, model: wire.model ?? request.model, provider: providerName,
            usage: wire.usage?.kamUsage ?? .zero, finishReason: finish, latency: latency)
    }

    /// An error response as a `ProviderError`: retryable for 408/409/429/5xx, with `Retry-After`.
    public func decodeError(status: Int, headers: [String: String], body: Data, model: String) -> ProviderError {
        let detail = (try? JSONDecoder().decode(OpenAIWire.ErrorBody.self, from: body))?.error
        let serverMessage = detail?.message ?? String(decoding: body.prefix(300), as: UTF8.self)
        var retryAfter = RetryAfter.parse(headers["retry-after"], now: headers["date"].flatMap(RetryAfter.httpDate))
        if retryAfter == nil, let ms = headers["retry-after-ms"].flatMap(Double.init) {
            retryAfter = .milliseconds(Int64(ms))
        }
        let hint: String
        switch status {
        case 401, 403: hint = "check the API key in the environment variable named in kam.yaml"
        case 404: hint = "check the model id and the base URL"
        case 429: hint = "the provider's rate limit or quota; lower the rate limits in kam.yaml or wait"
        case 400: hint = "the provider rejected the request; check the model supports the options sent"
        default: hint = "the provider failed; it is retried when transient"
        }
        return ProviderError.httpStatus(
            status, provider: providerName, model: model, serverMessage: serverMessage, hint: hint,
            retryAfter: retryAfter, secrets: secrets)
    }

    func malformed(_ body: Data, model: String, error: any Error) -> ProviderError {
        let excerpt = SecretRedactor.redact(String(decoding: body.prefix(200), as: UTF8.self), secrets: secrets)
        return ProviderError(
            code: .malformedResponse,
            message: "\(providerName) sent a body for model \(model) that is not a Chat Completions response "
                + "(starts: \(excerpt)); check the base URL points at an OpenAI-compatible /v1",
            provider: providerName, model: model, isRetryable: true, underlying: WireDecodingError(error))
    }

    var secrets: [String] { apiKey.map { [$0] } ?? [] }

    static func join(_ base: String, _ path: String) -> String {
        base.hasSuffix("/") ? base + path : base + "/" + path
    }
}

