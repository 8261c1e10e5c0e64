import Foundation
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

    @Test("a fraction for an integer is a type error at its path; a whole number that does not fit is a range error")
    func fractionsAreTypeErrors() {
        struct Order: Decodable { var quantity: Int }
        for value: JSONValue in [.double(1.5), .double(-0.25), .double(1e-9), .double(2.000001)] {
            do {
                _ = try JSONValueDecoder().decode([Order].self, from: [["quantity": 1], ["quantity": value]])
                Issue.record("accepted \(value)")
            } catch let DecodingError.typeMismatch(_, context) {
                #expect(context.codingPath.map(\.stringValue) == ["1", "quantity"])
                #expect(context.debugDescription.contains("expected an integer"), "\(context.debugDescription)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        #expect((try? JSONValueDecoder().decode(Order.self, from: ["quantity": .double(3.0)]))?.quantity == 3)
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Order.self, from: ["quantity": .double(1e30)]) }
    }

    @Test func customDatesDecodeWherePresent() throws {
        struct Event: Decodable {
            var at: Date
            var until: Date?
            var list: [Date]
        }
        let decoder = JSONValueDecoder(
            dateDecodingStrategy: .custom { decoder in
                let text = try decoder.singleValueContainer().decode(String.self)
                guard let seconds = Double(text) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date"))
                }
                return Date(timeIntervalSince1970: seconds)
            })
        let event = try decoder.decode(Event.self, from: ["at": "10", "list": ["1", "2"]])
        #expect(event.at == Date(timeIntervalSince1970: 10))
        #expect(event.until == nil)
        #expect(event.list == [Date(timeIntervalSince1970: 1), Date(timeIntervalSince1970: 2)])
        do {
            _ = try decoder.decode(Event.self, from: ["at": "10", "list": ["1", "x"]])
            Issue.record("accepted a bad date")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.codingPath.map(\.stringValue) == ["list", "1"])
        }
    }
}
