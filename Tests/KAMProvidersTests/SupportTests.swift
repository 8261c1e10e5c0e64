import Foundation
import KAMCore
import KAMProviders
import KAMTesting
import Testing

@Suite("Provider support")
struct SupportTests {
    @Test func retryAfterReadsSecondsAndHTTPDates() throws {
        #expect(RetryAfter.parse("3", now: nil) == .seconds(3))
        #expect(RetryAfter.parse("0.5", now: nil) == .milliseconds(500))
        #expect(RetryAfter.parse(nil, now: nil) == nil)
        #expect(RetryAfter.parse("soon", now: Date()) == nil)
        let now = try #require(RetryAfter.httpDate("Wed, 21 Oct 2015 07:28:00 GMT"))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:27:00 GMT", now: now) == .zero)
    }

    @Test func redactorRemovesKeysFromText() {
        let text = #"POST /v1 authorization: Bearer sk-proj-abcdefghijklmnop "x-api-key": "sk-ant-api03-zzzzzzzzzzzz" key=sk-1234567890abcdef"#
        let redacted = SecretRedactor.redact(text)
        #expect(!redacted.contains("abcdefghijklmnop"))
        #expect(!redacted.contains("zzzzzzzzzzzz"))
        #expect(!redacted.contains("1234567890abcdef"))
        #expect(redacted.contains("[REDACTED]"))
        #expect(SecretRedactor.redact("plain words stay", secrets: ["hunter22"]) == "plain words stay")
        #expect(SecretRedactor.redact("pw hunter22 here", secrets: ["hunter22"]) == "pw [REDACTED] here")
    }

    @Test func requestDescriptionHidesTheKey() {
        let http = OpenAICodec(apiKey: "sk-secret-value-123456").encodeRequest(ChatRequest(model: "m", messages: []))
        #expect(!http.redactedDescription.contains("secret-value"))
        #expect(http.redactedDescription.contains("authorization: [REDACTED]"))
        let error = ProviderError(code: .connection, message: "failed \(http.redactedDescription)", underlying: WireDecodingError(description: "Bearer sk-secret-value-123456"))
        #expect(!error.description.contains("secret-value"))
    }

    @Test func compatibleServerWithoutJSONSchemaGetsTheSchemaInThePrompt() async throws {
        let schema: JSONValue = ["type": "object", "properties": ["a": ["type": "string"]]]
        let transport = MockTransport { request in
            let body = request.jsonBody
            if body?["response_format"]?["type"] == "json_schema" {
                return HTTPResponseData(status: 400, text: #"{"error":{"message":"response_format json_schema is not supported"}}"#)
            }
            #expect(body?["messages"]?.arrayValue?.first?["content"]?.stringValue?.contains("JSON Schema") == true)
            #expect(body?["max_tokens"] == 50)
            return HTTPResponseData(
                status: 200,
                text: #"{"model":"local.gguf","choices":[{"index":0,"message":{"role":"assistant","content":"{\"a\":\"x\"}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3}}"#)
        }
        let provider = OpenAICompatibleProvider(baseURL: "http://127.0.0.1:1/v1", transport: transport)
        let request = ChatRequest(model: "smollm2", messages: [.user("x")], maxOutputTokens: 50, outputSchema: schema)
        let response = try await provider.complete(request)
        #expect(response.json == ["a": "x"])
        #expect(response.provider == "openai-compatible")
        #expect(provider.codec.schemaMode == .inPrompt)
        #expect(provider.codec.encodeRequest(request).headers["authorization"] == nil)
    }
}
