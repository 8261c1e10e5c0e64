import Testing

@testable import KAMCore

@Suite("JSONValueDecoder")
struct JSONValueDecoderTests {
    struct Draft: Decodable, Equatable {
        enum Tone: String, Decodable { case formal, friendly }
        struct Fact: Decodable, Equatable {
            var fact: String
            var source: String
        }
        var subject: String
        var callToAction: String?
        var tone: Tone
        var score: Double
        var attempts: Int
        var factsUsed: [Fact]
        var tags: Set<String>
        var extra: JSONValue?
    }

    @Test func decodesNestedTypesWithSnakeCaseKeys() throws {
        let value = try JSONParser.parse(
            #"{"subject": "Hi", "call_to_action": "Call", "tone": "formal", "score": 3, "attempts": 2.0,"#
                + #" "facts_used": [{"fact": "a", "source": "deal:1"}], "tags": ["x", "y"], "extra": {"k": [1]}}"#)
        let draft = try JSONValueDecoder(keyDecodingStrategy: .convertFromSnakeCase).decode(Draft.self, from: value)
        #expect(draft.subject == "Hi")
        #expect(draft.callToAction == "Call")
        #expect(draft.tone == .formal)
        #expect(draft.score == 3)
        #expect(draft.attempts == 2)
        #expect(draft.factsUsed == [Draft.Fact(fact: "a", source: "deal:1")])
        #expect(draft.tags == ["x", "y"])
        #expect(draft.extra == ["k": [1]])
    }

    @Test func nullAndMissingOptionalsAreNil() throws {
        struct Box: Decodable { var a: String?; var b: Int? }
        let box = try JSONValueDecoder().decode(Box.self, from: ["a": nil])
        #expect(box.a == nil && box.b == nil)
    }

    @Test func errorsCarryTheCodingPath() {
        struct Inner: Decodable { var n: Int8 }
        struct Outer: Decodable { var items: [Inner] }
        do {
            _ = try JSONValueDecoder().decode(Outer.self, from: ["items": [["n": 1], ["n": 300]]])
            Issue.record("300 does not fit in Int8")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.codingPath.map(\.stringValue) == ["items", "1", "n"])
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Inner.self, from: ["n": "1"]) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Inner.self, from: ["n": 1.5]) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Inner.self, from: [:]) }
    }

    @Test func snakeCaseConversions() {
        #expect(JSONValueDecoder.camelCase(fromSnakeCase: "call_to_action") == "callToAction")
        #expect(JSONValueDecoder.camelCase(fromSnakeCase: "_private_key_") == "_privateKey_")
        #expect(JSONValueDecoder.snakeCase(fromCamelCase: "factsUsed") == "facts_used")
        #expect(JSONValueDecoder.snakeCase(fromCamelCase: "plain") == "plain")
    }
}
