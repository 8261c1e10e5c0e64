import Foundation
import KAMCore
import KAMProviders
import Testing

/// End-to-end against SmolLM2-135M-Instruct served by `tools/local-model` (started by `.ci/run`).
///
/// A 135M model writes poor prose; these tests check shape, usage and flow, not content. Without
/// `KAM_TEST_LOCAL_MODEL_URL` they are skipped, and the skip names the reason.
@Suite(
    "Local model end to end", .serialized,
    .enabled(
        if: LocalModelServer.baseURL != nil,
        "KAM_TEST_LOCAL_MODEL_URL is not set: run `tools/local-model` (what .ci/run does) and export its URL"))
struct LocalModelTests {
    var provider: OpenAICompatibleProvider {
        // The CPU model shares 2 cores with the whole suite and the other local-model tests: an answer can
        // take minutes (60 s timed out in a CI run), so allow 10.
        OpenAICompatibleProvider(baseURL: LocalModelServer.baseURL ?? "", transport: AsyncHTTPClientTransport.shared, timeout: .seconds(600))
    }

    @Test func plainChat() async throws {
        let response = try await provider.complete(
            ChatRequest(
                model: "smollm2", messages: [.system("You are brief."), .user("Say hello to Acme.")], temperature: 0,
                maxOutputTokens: 40))
        #expect(!response.text.isEmpty)
        #expect(response.provider == "openai-compatible")
        #expect(response.usage.inputTokens > 0)
        #expect(response.usage.outputTokens > 0)
        #expect(response.usage.outputTokens <= 40)
        #expect(response.finishReason == .stop || response.finishReason == .length)
    }

    @Test func streamedChatReportsUsage() async throws {
        var deltas: [String] = []
        var usage: Usage?
        var final: ChatResponse?
        let request = ChatRequest(model: "smollm2", messages: [.user("Count to five.")], temperature: 0, maxOutputTokens: 30)
        for try await event in provider.stream(request) {
            switch event {
            case .delta(let text): deltas.append(text)
            case .usage(let reported): usage = reported
            case .completed(let response): final = response
            }
        }
        let response = try #require(final)
        #expect(deltas.count > 1)
        #expect(deltas.joined() == response.text)
        #expect((usage?.outputTokens ?? 0) > 0)
        #expect(response.usage.inputTokens > 0)
    }

    @Test func jsonSchemaAnswerIsValidOrReportedAsCut() async throws {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "subject": ["type": "string", "maxLength": 60],
                "body": ["type": "string", "maxLength": 300],
            ],
            "required": ["subject", "body"],
            "additionalProperties": false,
        ]
        let request = ChatRequest(
            model: "smollm2",
            messages: [
                .system("You write short follow-up emails as JSON."),
                .user("Write a follow-up email to Acme Logistics about their renewal."),
            ],
            temperature: 0, maxOutputTokens: 200, outputSchema: schema, schemaName: "follow_up_email",
            extraOptions: ["repeat_penalty": 1.3])
        let response = try await provider.complete(request)
        #expect(response.usage.outputTokens > 0)
        switch response.finishReason {
        case .length:
            // A cut-off answer is a reported outcome (the repair loop's business), never a crash.
            #expect(response.usage.outputTokens >= 190)
        default:
            let answer = try #require(response.json, "not JSON: \(response.text)")
            let subject = try #require(answer["subject"]?.stringValue)
            let body = try #require(answer["body"]?.stringValue)
            #expect(subject.count <= 60)
            #expect(body.count <= 300)
            #expect(Set(answer.objectValue?.keys.map { $0 } ?? []) == ["subject", "body"])
        }
    }
}

/// Where `.ci/run` (tools/local-model) says the local model listens.
enum LocalModelServer {
    static let baseURL = ProcessInfo.processInfo.environment["KAM_TEST_LOCAL_MODEL_URL"].flatMap { $0.isEmpty ? nil : $0 }
}
