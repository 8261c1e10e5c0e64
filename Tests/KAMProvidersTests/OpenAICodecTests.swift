import Foundation
import KAMCore
import KAMProviders
import KAMTesting
import Testing

@Suite("OpenAI codec")
struct OpenAICodecTests {
    let codec = OpenAICodec(apiKey: "sk-test-SECRETKEY123456")

    @Test func encodesTheDocumentedRequestShape() throws {
        // The OpenAPI "Default" example, with KAM's system role in place of `developer`.
        let example = try JSONValue.parse(data: Fixtures.data("openai-chat-request.json"))
        let request = ChatRequest(
            model: example["model"]!.stringValue!,
            messages: [.system("You are a helpful assistant."), .user("Hello!")])
        let http = codec.encodeRequest(request)
        #expect(http.method == "POST")
        #expect(http.url == "https://api.openai.com/v1/chat/completions")
        #expect(http.headers["authorization"] == "Bearer sk-test-SECRETKEY123456")
        let body = try #require(http.jsonBody)
        #expect(body["model"] == example["model"])
        #expect(body["messages"]?.arrayValue?.map { $0["content"] } == example["messages"]?.arrayValue?.map { $0["content"] })
        #expect(body["messages"]?.arrayValue?.last?["role"] == "user")
        #expect(body["response_format"] == nil)
        #expect(body["stream"] == nil)
    }

    @Test func encodesStructuredOutputAsStrictJSONSchema() throws {
        let schema: JSONValue = [
            "type": "object", "properties": ["subject": ["type": "string", "maxLength": 80]],
            "required": ["subject"], "additionalProperties": false,
        ]
        let request = ChatRequest(
            model: "gpt-4o-mini", messages: [.user("Write")], temperature: 0.2, maxOutputTokens: 300,
            outputSchema: schema, schemaName: "follow up email", extraOptions: ["seed": 7])
        let body = try #require(codec.encodeRequest(request).jsonBody)
        #expect(body["response_format"]?["type"] == "json_schema")
        #expect(body["response_format"]?["json_schema"]?["name"] == "follow_up_email")
        #expect(body["response_format"]?["json_schema"]?["strict"] == true)
        #expect(body["response_format"]?["json_schema"]?["schema"] == schema)
        #expect(body["max_completion_tokens"] == 300)
        #expect(body["temperature"] == 0.2)
        #expect(body["seed"] == 7)
        #expect(body["metadata"] == nil)
    }

    @Test func streamingAsksForUsage() throws {
        let request = ChatRequest(model: "gpt-4o-mini", messages: [.user("Hi")])
        let http = codec.encodeRequest(request, stream: true)
        let body = try #require(http.jsonBody)
        #expect(body["stream"] == true)
        #expect(body["stream_options"]?["include_usage"] == true)
        #expect(http.headers["accept"] == "text/event-stream")
    }

    @Test func decodesTheDocumentedResponse() throws {
        let request = ChatRequest(model: "gpt-5.4", messages: [.user("Hello!")])
        let response = try codec.decodeResponse(
            HTTPResponseData(status: 200, body: Fixtures.data("openai-chat-response.json")), request: request)
        #expect(response.text == "Hello! How can I assist you today?")
        #expect(response.model == "gpt-5.4")
        #expect(response.provider == "openai")
        #expect(response.usage == Usage(inputTokens: 19, outputTokens: 10, cachedInputTokens: 0))
        #expect(response.finishReason == .stop)
        #expect(!response.isOffline)
    }

    @Test func cachedTokensAndLengthFinishAreReportedNotThrown() throws {
        let body = """
            {"id":"x","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"{\\"subject\\": \\"Hel"},
            "finish_reason":"length"}],"usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
            "prompt_tokens_details":{"cached_tokens":1920}}}
            """
        let response = try codec.decodeResponse(
            HTTPResponseData(status: 200, text: body), request: ChatRequest(model: "gpt-4o", messages: []))
        #expect(response.finishReason == .length)
        #expect(response.text == "{\"subject\": \"Hel")
        #expect(response.json == nil)
        #expect(response.usage.cachedInputTokens == 1920)
        #expect(response.usage.inputTokens == 2006)
    }

    @Test func rateLimitIsRetryableWithRetryAfter() throws {
        let body = #"{"error":{"message":"Rate limit reached for gpt-4o","type":"requests","code":"rate_limit_exceeded"}}"#
        let request = ChatRequest(model: "gpt-4o", messages: [])
        let error = try #require(throws: ProviderError.self) {
            try codec.decodeResponse(HTTPResponseData(status: 429, headers: ["Retry-After": "3"], text: body), request: request)
        }
        #expect(error.code == .rateLimited)
        #expect(error.isRetryable)
        #expect(error.retryAfter == .seconds(3))
        #expect(error.httpStatus == 429)
        #expect(error.message.contains("Rate limit reached"))
    }

    @Test func clientErrorsAreNotRetryableAndNeverShowTheKey() throws {
        let body = #"{"error":{"message":"Incorrect API key provided: sk-test-SECRETKEY123456.","type":"invalid_request_error"}}"#
        let error = try #require(throws: ProviderError.self) {
            try codec.decodeResponse(
                HTTPResponseData(status: 401, text: body), request: ChatRequest(model: "gpt-4o", messages: []))
        }
        #expect(!error.isRetryable)
        #expect(!error.description.contains("SECRETKEY123456"))
        #expect(!error.message.contains("SECRETKEY123456"))
        #expect(error.message.contains("API key"))
    }

    @Test func malformedBodyIsAClearRetryableError() throws {
        let error = try #require(throws: ProviderError.self) {
            try codec.decodeResponse(
                HTTPResponseData(status: 200, text: "{\"choices\": [ {\"mess"), request: ChatRequest(model: "m", messages: []))
        }
        #expect(error.code == .malformedResponse)
        #expect(error.isRetryable)
    }

    @Test func decodesTheDocumentedStream() throws {
        var parser = ServerSentEventParser()
        var decoder = OpenAIStreamDecoder(providerName: "openai", requestedModel: "gpt-4o-mini")
        var deltas: [String] = []
        let bytes = Array(try Fixtures.data("openai-chat-stream.sse"))
        for start in stride(from: 0, to: bytes.count, by: 5) {
            for event in parser.feed(Data(bytes[start..<min(start + 5, bytes.count)])) {
                for output in try decoder.consume(event) {
                    if case .delta(let text) = output { deltas.append(text) }
                }
            }
        }
        let response = try decoder.finish()
        #expect(deltas == ["Hello"])
        #expect(response.text == "Hello")
        #expect(response.model == "gpt-4o-mini")
        #expect(response.finishReason == .stop)
    }

    @Test func streamUsageChunkIsDecoded() throws {
        var decoder = OpenAIStreamDecoder(providerName: "openai", requestedModel: "m")
        _ = try decoder.consume(ServerSentEvent(data: #"{"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}"#))
        let events = try decoder.consume(
            ServerSentEvent(data: #"{"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}}"#))
        #expect(events == [.usage(Usage(inputTokens: 9, outputTokens: 1))])
        #expect(try decoder.finish().usage.outputTokens == 1)
    }

    @Test func truncatedStreamIsAnError() throws {
        var decoder = OpenAIStreamDecoder(providerName: "openai", requestedModel: "m")
        _ = try decoder.consume(ServerSentEvent(data: #"{"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}"#))
        let error = try #require(throws: ProviderError.self) { try decoder.finish() }
        #expect(error.code == .truncatedStream)
        #expect(error.isRetryable)
    }

    @Test func providerStreamsThroughATransport() async throws {
        let sse = try Fixtures.text("openai-chat-stream.sse")
        let transport = MockTransport(stream: { request in
            #expect(request.jsonBody?["stream"] == true)
            return MockTransport.sseResponse(sse, chunkSize: 3)
        })
        let provider = OpenAIProvider(apiKey: "k", transport: transport)
        var text = ""
        var final: ChatResponse?
        for try await event in provider.stream(ChatRequest(model: "gpt-4o-mini", messages: [.user("Hello!")])) {
            switch event {
            case .delta(let piece): text += piece
            case .completed(let response): final = response
            case .usage: break
            }
        }
        #expect(text == "Hello")
        #expect(final?.text == "Hello")
    }
}
