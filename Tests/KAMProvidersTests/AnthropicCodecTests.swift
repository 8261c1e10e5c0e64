import Foundation
import KAMCore
import KAMProviders
import KAMTesting
import Testing

@Suite("Anthropic codec")
struct AnthropicCodecTests {
    let codec = AnthropicCodec(apiKey: "sk-ant-api03-SECRETKEY999")
    let schema: JSONValue = [
        "type": "object",
        "properties": ["subject": ["type": "string"], "body": ["type": "string"]],
        "required": ["subject", "body"],
    ]

    @Test func encodesSystemSeparatelyAndForcesTheSchemaTool() throws {
        let request = ChatRequest(
            model: "claude-sonnet-4-5", messages: [.system("Be brief."), .user("Write to Acme.")],
            maxOutputTokens: 512, outputSchema: schema, schemaName: "follow_up_email")
        let http = codec.encodeRequest(request)
        #expect(http.url == "https://api.anthropic.com/v1/messages")
        #expect(http.headers["x-api-key"] == "sk-ant-api03-SECRETKEY999")
        #expect(http.headers["anthropic-version"] == "2023-06-01")
        let body = try #require(http.jsonBody)
        #expect(body["system"] == "Be brief.")
        #expect(body["max_tokens"] == 512)
        #expect(body["messages"] == [["role": "user", "content": "Write to Acme."]])
        #expect(body["tools"]?.arrayValue?.first?["name"] == "follow_up_email")
        #expect(body["tools"]?.arrayValue?.first?["input_schema"] == schema)
        #expect(body["tool_choice"] == ["type": "tool", "name": "follow_up_email"])
        #expect(!http.redactedDescription.contains("SECRETKEY999"))
    }

    @Test func maxTokensIsAlwaysSent() throws {
        let body = try #require(codec.encodeRequest(ChatRequest(model: "claude", messages: [.user("Hi")])).jsonBody)
        #expect(body["max_tokens"] == 4096)
        #expect(body["tools"] == nil)
    }

    @Test func decodesTheDocumentedTextResponse() throws {
        let response = try codec.decodeResponse(
            HTTPResponseData(status: 200, body: Fixtures.data("anthropic-messages-response.json")),
            request: ChatRequest(model: "claude-sonnet-4-5", messages: []))
        #expect(response.text == "Hi! My name is Claude.")
        #expect(response.model == "claude-sonnet-4-5-20250929")
        #expect(response.usage == Usage(inputTokens: 2095, outputTokens: 503))
        #expect(response.finishReason == .stop)
    }

    @Test func forcedToolInputIsTheAnswerAndCacheTokensAreCounted() throws {
        let response = try codec.decodeResponse(
            HTTPResponseData(status: 200, body: Fixtures.data("anthropic-tool-use-response.json")),
            request: ChatRequest(model: "claude-sonnet-4-5", messages: [], outputSchema: schema))
        #expect(response.json == ["subject": "Checking in", "body": "Hello Acme team, following up on the renewal."])
        #expect(response.finishReason == .stop)
        #expect(response.usage.cachedInputTokens == 1024)
        #expect(response.usage.cacheCreationInputTokens == 12)
        #expect(response.usage.inputTokens == 472 + 1024 + 12)
        #expect(response.usage.outputTokens == 84)
    }

    @Test func maxTokensStopIsLength() throws {
        let body = #"{"type":"message","model":"c","content":[{"type":"text","text":"cut"}],"stop_reason":"max_tokens","usage":{"input_tokens":1,"output_tokens":2}}"#
        let response = try codec.decodeResponse(HTTPResponseData(status: 200, text: body), request: ChatRequest(model: "c", messages: []))
        #expect(response.finishReason == .length)
    }

    @Test func overloadedIsRetryable() throws {
        let body = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
        let error = try #require(throws: ProviderError.self) {
            try codec.decodeResponse(HTTPResponseData(status: 529, text: body), request: ChatRequest(model: "c", messages: []))
        }
        #expect(error.isRetryable)
        #expect(error.message.contains("overloaded_error"))
        let bad = codec.decodeError(status: 400, headers: [:], body: Data(#"{"type":"error","error":{"type":"invalid_request_error","message":"x-api-key: sk-ant-api03-SECRETKEY999 invalid"}}"#.utf8), model: "c")
        #expect(!bad.isRetryable)
        #expect(!bad.description.contains("SECRETKEY999"))
    }

    @Test func decodesTheDocumentedTextStream() throws {
        let (deltas, response) = try decode("anthropic-stream.sse", forcedTool: false)
        #expect(deltas == ["Hello", "!"])
        #expect(response.text == "Hello!")
        #expect(response.model == "claude-opus-4-6")
        #expect(response.usage == Usage(inputTokens: 25, outputTokens: 15))
        #expect(response.finishReason == .stop)
    }

    @Test func decodesTheToolInputStream() throws {
        let (_, response) = try decode("anthropic-tool-stream.sse", forcedTool: true)
        #expect(response.json == ["subject": "Checking in"])
        #expect(response.usage.outputTokens == 89)
        #expect(response.usage.cachedInputTokens == 100)
        #expect(response.usage.inputTokens == 572)
    }

    @Test func streamWithoutMessageStopIsTruncated() throws {
        var decoder = AnthropicStreamDecoder(providerName: "anthropic", requestedModel: "c", forcedTool: false)
        _ = try decoder.consume(ServerSentEvent(event: "content_block_delta", data: #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#))
        #expect(throws: ProviderError.self) { try decoder.finish() }
        let error = try #require(throws: ProviderError.self) {
            try decoder.consume(ServerSentEvent(event: "error", data: #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#))
        }
        #expect(error.isRetryable)
    }

    private func decode(_ fixture: String, forcedTool: Bool) throws -> ([String], ChatResponse) {
        var parser = ServerSentEventParser()
        var decoder = AnthropicStreamDecoder(providerName: "anthropic", requestedModel: "c", forcedTool: forcedTool)
        var deltas: [String] = []
        for event in parser.feed(try Fixtures.data(fixture)) + parser.finish() {
            for output in try decoder.consume(event) {
                if case .delta(let text) = output { deltas.append(text) }
            }
        }
        return (deltas, try decoder.finish())
    }
}
