import KAMCore
import KAMProviders
import Testing

@Suite("Offline provider")
struct OfflineProviderTests {
    let schema: JSONValue = [
        "type": "object",
        "properties": [
            "subject": ["type": "string", "maxLength": 40],
            "body": ["type": "string", "maxLength": 400, "minLength": 20],
            "tone": ["type": "string", "enum": ["friendly", "formal"]],
            "follow_up_days": ["type": "integer", "minimum": 2, "maximum": 30],
            "key_facts": ["type": "array", "items": ["type": "string"], "minItems": 1, "maxItems": 3],
            "contact": ["$ref": "#/$defs/person"],
            "urgent": ["type": "boolean"],
        ],
        "required": ["subject", "body", "tone", "follow_up_days", "key_facts", "contact", "urgent"],
        "additionalProperties": false,
        "$defs": ["person": ["type": "object", "properties": ["name": ["type": "string"]], "required": ["name"]]],
    ]

    func request() -> ChatRequest {
        ChatRequest(
            model: "gpt-4o", messages: [.user("Write a follow-up")], outputSchema: schema, schemaName: "follow_up",
            metadata: [
                "prompt_id": "follow-up-email",
                "variables": [
                    "client_name": "Acme Logistics", "contact_name": "Dana Ruiz", "hint": "the Q3 renewal",
                    "facts": ["Renewal due on 2025-09-30", ["text": "Prefers email over calls"]],
                ],
            ])
    }

    @Test func buildsASchemaValidAnswerFromTheContext() async throws {
        let response = try await OfflineProvider().complete(request())
        let answer = try #require(response.json)
        let subject = try #require(answer["subject"]?.stringValue)
        let body = try #require(answer["body"]?.stringValue)
        #expect(subject.count <= 40)
        #expect(subject.contains("Q3 renewal"))
        #expect((20...400).contains(body.count))
        #expect(body.hasPrefix("Hi Dana,"))
        #expect(body.contains("renewal due on 2025-09-30"))
        #expect(answer["tone"] == "friendly")
        #expect(answer["follow_up_days"] == 2)
        #expect(answer["key_facts"]?.arrayValue?.count == 2)
        #expect(answer["key_facts"]?.arrayValue?.first == "Renewal due on 2025-09-30")
        #expect(answer["contact"]?["name"]?.stringValue == "Dana Ruiz")
        #expect(answer["urgent"] == false)
        #expect(Set(answer.objectValue!.keys) == Set(schema["required"]!.arrayValue!.compactMap(\.stringValue)))
    }

    @Test func isDeterministicAndLabelledOffline() async throws {
        let first = try await OfflineProvider().complete(request())
        let second = try await OfflineProvider().complete(request())
        #expect(first.text == second.text)
        #expect(first.isOffline)
        #expect(first.provider == "offline")
        #expect(first.model == "offline")
        #expect(first.usage.outputTokens > 0)
    }

    @Test func freeTextUsesTheContext() async throws {
        var plain = request()
        plain.outputSchema = nil
        let response = try await OfflineProvider().complete(plain)
        #expect(response.text.hasPrefix("Hi Dana,"))
        #expect(response.text.contains("the Q3 renewal"))
    }
}
