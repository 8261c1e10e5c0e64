import Testing

@testable import KAMCore

@Suite("JSONParser")
struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2, 3.5, 1e2, true, false, null], "s": "x\n\u00e9\ud83d\ude00\"", "o": {}} "#)
        #expect(value["a"] == [1, -2, .double(3.5), .double(100), true, false, nil])
        #expect(value["s"] == "x\né😀\"")
        #expect(value["o"] == .object([:]))
    }

    @Test func keepsIntegersAndDoublesApart() throws {
        #expect(try JSONParser.parse("1") == .int(1))
        #expect(try JSONParser.parse("1.0") == .double(1.0))
        #expect(try JSONParser.parse("-9223372036854775808") == .int(Int64.min))
        #expect(try JSONParser.parse("9223372036854775808") == .double(9223372036854775808))
        #expect(try JSONParser.parse("-0") == .int(0))
    }

    @Test func reportsLineAndColumn() {
        do {
            _ = try JSONParser.parse("{\n  \"é\": tru,\n}")
            Issue.record("expected a parse error")
        } catch {
            #expect(error.code == .unexpectedCharacter)
            #expect(error.line == 2)
            #expect(error.column == 11)
        }
    }

    @Test("cut-off answers are .truncated, at the end of the text", arguments: [
        #"{"subject": "Hello", "body": "We are wri"#, #"{"a": [1, 2"#, #"{"a": tr"#, #"{"a": 1."#, #"{"a""#, "",
    ])
    func truncated(text: String) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("expected a parse error for \(text)")
        } catch {
            #expect(error.code == .truncated)
            #expect(error.offset == text.utf8.count)
        }
    }

    @Test("malformed JSON is refused", arguments: [
        "01", "[1,]", "{\"a\" 1}", "\"\\x\"", "\"a\tb\"", "[1] x", "+1", "\"\\ud800\"", "{'a': 1}", "NaN",
    ])
    func malformed(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        #expect((try? JSONParser(maxDepth: 700).parse(deep)) != nil)
    }

    @Test func compactTextRoundTrips() throws {
        let value: JSONValue = ["b": [1, .double(2.5), "q\"\n"], "a": nil, "c": true]
        #expect(value.compactJSONText == #"{"a":null,"b":[1,2.5,"q\"\n"],"c":true}"#)
        #expect(try JSONParser.parse(value.compactJSONText) == value)
    }

    @Test func jsonEqualityIsNumericAndStrict() {
        #expect(JSONValue.int(1).jsonEquals(.double(1.0)))
        #expect(!JSONValue.bool(true).jsonEquals(.int(1)))
        let nested: JSONValue = ["a": [1, 2]]
        #expect(nested.jsonEquals(["a": [.double(1), 2]]))
        #expect(!JSONValue.string("e\u{301}").jsonEquals(.string("é")))
        let escaped: JSONValue = ["a": ["b~/": 5]]
        #expect(escaped.value(atPointer: "/a/b~0~1") == 5)
    }
}
