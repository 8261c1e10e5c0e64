import Foundation
import KAMCore

/// Pure encode/decode of Anthropic's Messages API.
///
/// Structured output is a forced tool: one tool whose `input_schema` is the output schema and
/// `tool_choice: {type: "tool", name}`; the answer is that tool_use block's `input`, returned as JSON
/// text so callers see the same thing as from OpenAI.
public struct AnthropicCodec: Sendable {
    public var providerName: String
    /// Base URL, with or without the trailing `/v1` (`https://api.anthropic.com`, `https://api.anthropic.com/v1`).
    public var baseURL: String
    public var apiKey: String?
    public var version: String
    /// `max_tokens` is required by the API; used when the request has none.
    public var defaultMaxTokens: Int

    public init(
        providerName: String = "anthropic", baseURL: String = "https://api.anthropic.com", apiKey: String?,
        version: String = "2023-06-01", defaultMaxTokens: Int = 4096
    ) {
        self.providerName = providerName
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.version = version
        self.defaultMaxTokens = defaultMaxTokens
    }

    public func body(_ request: ChatRequest, stream: Bool) -> JSONValue {
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "max_tokens": .int(Int64(request.maxOutputTokens ?? defaultMaxTokens)),
            "messages": .array(
                request.messages.filter { $0.role != .system }.map {
                    ["role": .string($0.role.rawValue), "content": .string($0.content)]
                }),
        ]
        if !system.isEmpty { body["system"] = .string(system) }
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if let schema = request.outputSchema {
            let name = request.effectiveSchemaName
            body["tools"] = [
                [
                    "name": .string(name),
                    "description": "Record the answer. Its input is the whole answer, valid against the schema.",
                    "input_schema": schema,
                ]
            ]
            body["tool_choice"] = ["type": "tool", "name": .string(name)]
        }
        if stream { body["stream"] = true }
        for (key, value) in request.extraOptions {
            // Anthropic names OpenAI's `stop` `stop_sequences`, and takes only a list.
            if key == "stop" {
                body["stop_sequences"] = value.stringValue.map { .array([.string($0)]) } ?? value
            } else {
                body[key] = value
            }
        }
        return .object(body)
    }

    public func encodeRequest(_ request: ChatRequest, stream: Bool? = nil) -> HTTPRequestData {
        var headers = ["content-type": "application/json", "anthropic-version": version]
        if stream ?? request.stream { headers["accept"] = "text/event-stream" }
        if let apiKey, !apiKey.isEmpty { headers["x-api-key"] = apiKey }
        return HTTPRequestData(
            method: "POST", url: messagesURL, headers: headers,
            body: body(request, stream: stream ?? request.stream).jsonData())
    }

    public func decodeResponse(_ response: HTTPResponseData, request: ChatRequest, latency: Duration = .zero) throws
        -> ChatResponse
    {
        guard (200..<300).contains(response.status) else {
            throw decodeError(status: response.status, headers: response.headers, body: response.body, model: request.model)
        }
        let message: AnthropicWire.Message
        do {
            message = try JSONDecoder().decode(AnthropicWire.Message.self, from: response.body)
        } catch {
            let excerpt = SecretRedactor.redact(String(decoding: response.body.prefix(200), as: UTF8.self), secrets: secrets)
            throw ProviderError(
                code: .malformedResponse,
                message: "\(providerName) sent a body for model \(request.model) that is not a Messages response "
                    + "(starts: \(excerpt)); check the base URL",
                provider: providerName, model: request.model, httpStatus: response.status, isRetryable: true,
                underlying: WireDecodingError(error))
        }
        let blocks = message.content ?? []
        let forced = request.outputSchema != nil
        let text: String
        if forced, let tool = blocks.first(where: { $0.type == "tool_use" }), let input = tool.input {
            text = input.jsonText()
        } else {
            text = blocks.filter { $0.type == "text" }.compactMap(\.text).joined()
        }
        return ChatResponse(
            text: text, model: message.model ?? request.model, provider: providerName,
            usage: message.usage?.kamUsage ?? .zero,
            finishReason: AnthropicWire.finishReason(message.stop_reason, forcedTool: forced), latency: latency)
    }

    public func decodeError(status: Int, headers: [String: String], body: Data, model: String) -> ProviderError {
        let detail = (try? JSONDecoder().decode(AnthropicWire.ErrorBody.self, from: body))?.error
        let serverMessage = detail.map { "\($0.type ?? "error"): \($0.message ?? "")" }
            ?? String(decoding: body.prefix(300), as: UTF8.self)
        let retryAfter = RetryAfter.parse(headers["retry-after"], now: headers["date"].flatMap(RetryAfter.httpDate))
        let hint: String
        switch status {
        case 401, 403: hint = "check the key in the environment variable named in kam.yaml (ANTHROPIC_API_KEY)"
        case 404: hint = "check the model id"
        case 429: hint = "rate limited; lower the rate limits in kam.yaml or wait"
        case 529: hint = "Anthropic is overloaded; retried, then the fallback chain is used"
        default: hint = "retried when transient"
        }
        return ProviderError.httpStatus(
            status, provider: providerName, model: model, serverMessage: serverMessage, hint: hint,
            retryAfter: retryAfter, secrets: secrets)
    }

    var secrets: [String] { apiKey.map { [$0] } ?? [] }

    /// `{base}/v1/messages`, whether or not the configured base already ends in `/v1`.
    var messagesURL: String { url("messages") }

    /// `GET /v1/models`: the cheapest call that shows the server answers and takes the key (the self-check's probe).
    public func modelsRequest() -> HTTPRequestData {
        var headers = ["anthropic-version": version]
        if let apiKey, !apiKey.isEmpty { headers["x-api-key"] = apiKey }
        return HTTPRequestData(method: "GET", url: url("models"), headers: headers)
    }

    private func url(_ endpoint: String) -> String {
        let trimmed = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        return (trimmed.hasSuffix("/v1") ? trimmed : trimmed + "/v1") + "/" + endpoint
    }
}
