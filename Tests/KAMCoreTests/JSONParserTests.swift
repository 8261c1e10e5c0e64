import Foundation
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

    @Test func compactTextSpellsEveryIntegerAsSwiftDoes() throws {
        // The digits are written straight into the text: each power of ten and its neighbours, both signs, the
        // extremes, and random values of every width.
        var values: [Int64] = [0, 1, -1, 9, 10, 11, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
        var power: Int64 = 1
        for _ in 0..<18 {
            power *= 10
            values += [power - 1, power, power + 1, -power + 1, -power, -power - 1]
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { values.append(Int64.random(in: Int64.min...Int64.max, using: &generator) >> Int64.random(in: 0...63, using: &generator)) }
        for value in values {
            #expect(JSONValue.int(value).compactJSONText == String(value))
            #expect(JSONValue.object(["n": .int(value), "m": .array([.int(value)])]).compactJSONText == #"{"m":[\#(value)],"n":\#(value)}"#)
        }
    }

    @Test func compactTextEscapesEveryControlAndKeepsEveryOtherScalar() throws {
        // Every control character, the quote and the backslash escaped, in keys and values alike; ASCII,
        // accented, CJK and astral scalars kept as they are.
        let pieces = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) } + ["\"", "\\", "/", "a", "é", "中", "😀", "\u{7F}", "\u{2028}"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let value: JSONValue = [text: .string(text), "k": [.string(text)]]
            let written = value.compactJSONText
            #expect(try JSONParser.parse(written) == value, "\(written)")
            #expect(!written.unicodeScalars.contains { $0.value < 0x20 }, "\(written)")
        }
        #expect(JSONValue.string("\u{0}\u{1F}\t\"\\é").compactJSONText == #""\u0000\u001f\t\"\\é""#)
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

    /// The key text of `name` as written in JSON, plain or with every character `\u`-escaped.
    static func keyText(_ name: String, escaped: Bool) -> String {
        guard escaped else { return "\"\(name)\"" }
        return "\"" + name.utf16.map { "\\u" + String(format: "%04x", $0) }.joined() + "\""
    }

    /// Line and column (code points, from 1) of a byte offset, computed independently of the parser.
    static func lineColumn(_ text: String, _ offset: Int) -> (Int, Int) {
        let before = String(decoding: Array(text.utf8)[..<offset], as: UTF8.self)
        let lines = before.split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.count, lines.last!.unicodeScalars.count + 1)
    }

    @Test("a key twice in one object is refused at the second, naming the first, at any depth and spelling")
    func duplicateKeys() throws {
        var cases = 0
        for name in ["a", "quantity", "é", "日本", "a b", "😀"] {
            for depth in 0..<4 {
                for gap in [" ", "\n  ", "\n\n\t"] {
                    for escapedSecond in [false, true] {
                        let first = Self.keyText(name, escaped: false)
                        let second = Self.keyText(name, escaped: escapedSecond)
                        let inner = "{\(gap)\(first): 1,\(gap)\"other\": [1, {\"\(name)x\": 2}],\(gap)\(second): 3\(gap)}"
                        var text = inner
                        for level in 0..<depth { text = level % 2 == 0 ? "{\"k\(level)\": \(text)}" : "[0, \(text)]" }
                        let firstAt = text.range(of: first)!.lowerBound.utf16Offset(in: text)
                        let secondAt = text.range(of: second, options: .backwards)!.lowerBound.utf16Offset(in: text)
                        let firstByte = text.utf8.distance(from: text.startIndex, to: String.Index(utf16Offset: firstAt, in: text))
                        let secondByte = text.utf8.distance(from: text.startIndex, to: String.Index(utf16Offset: secondAt, in: text))
                        do {
                            _ = try JSONParser.parse(text)
                            Issue.record("accepted a duplicate key: \(text)")
                        } catch {
                            let (line, column) = Self.lineColumn(text, secondByte)
                            let (firstLine, firstColumn) = Self.lineColumn(text, firstByte)
                            #expect(error.code == .duplicateKey, "\(text)")
                            #expect(error.line == line && error.column == column, "\(error) in \(text)")
                            #expect(error.message.contains("first at line \(firstLine), column \(firstColumn)"), "\(error)")
                        }
                        cases += 1
                    }
                }
            }
        }
        #expect(cases == 144)
        // Keys that differ only after unescaping are the same key; keys that differ are fine.
        #expect(throws: JSONParseError.self) { try JSONParser.parse(#"{"ab": 1, "a\u0062": 2}"#) }
        #expect(try JSONParser.parse(#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#)["b"]?.arrayValue?.count == 2)
    }

    @Test("bytes that are not UTF-8 are refused where they are, whatever the sequence")
    func invalidUTF8() {
        let sequences: [[UInt8]] = [
            [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xFE], [0xFF], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xC3],
        ]
        var cases = 0
        for bad in sequences {
            for prefix in ["{\"a\": \"", "[\n  \"é\",\n  \"x", "{\n\n\"k\": [1, \"日本"] {
                let head = Array(prefix.utf8)
                let bytes = head + bad + Array("\"".utf8)
                do {
                    _ = try JSONParser().parse(bytes: bytes)
                    Issue.record("accepted \(bad)")
                } catch {
                    let (line, column) = Self.lineColumn(prefix, head.count)
                    #expect(error.code == .invalidEncoding, "\(bad): \(error)")
                    #expect(error.line == line && error.column == column, "\(bad): \(error)")
                    #expect(error.offset == head.count)
                }
                cases += 1
                #expect(UTF8Scan.invalidSequences(in: bytes).first?.lowerBound == head.count)
            }
        }
        #expect(cases == 39)
        #expect(UTF8Scan.invalidSequences(in: Array("ok é 日本 😀".utf8)).isEmpty)
        #expect(UTF8Scan.invalidSequences(in: [0x41, 0xFF, 0x42, 0xC3, 0x28]) == [1..<2, 3..<4])
    }

    @Test("location(of:) finds every value of a document, whatever its layout")
    func locations() throws {
        // A document whose every leaf is a distinct string, so each path's value is known.
        var counter = 0
        func leaf() -> String {
            counter += 1
            return "\"v\(counter)é\""
        }
        var paths: [([JSONPathComponent], String)] = []
        func build(_ path: [JSONPathComponent], depth: Int, indent: String) -> String {
            if depth == 0 {
                let text = leaf()
                paths.append((path, text))
                return text
            }
            let inner = indent + "  "
            if depth % 2 == 0 {
                let members = (0..<3).map { i in
                    "\n\(inner)\"k\(i)\" :\t" + build(path + [.key("k\(i)")], depth: depth - 1, indent: inner)
                }
                return "{" + members.joined(separator: ",") + "\n\(indent)}"
            }
            let elements = (0..<3).map { i in build(path + [.index(i)], depth: depth - 1, indent: inner) }
            return "[ " + elements.joined(separator: ",\n\(inner)") + "]"
        }
        let text = build([], depth: 4, indent: "")
        let bytes = Array(text.utf8)
        _ = try JSONParser().parse(bytes: bytes)
        #expect(paths.count == 81)
        for (path, leaf) in paths {
            let location = try #require(JSONParser().location(of: path, in: bytes), "\(path)")
            #expect(Array(bytes[location.offset..<location.offset + leaf.utf8.count]) == Array(leaf.utf8), "\(path)")
            let (line, column) = Self.lineColumn(text, location.offset)
            #expect(location.line == line && location.column == column, "\(path)")
        }
        #expect(JSONParser().location(of: [.key("k9")], in: bytes) == nil)
        #expect(JSONParser().location(of: [.key("k0"), .index(3)], in: bytes) == nil)
        #expect(JSONParser().location(of: [.index(0)], in: bytes) == nil)
        #expect(JSONParser().location(of: [], in: bytes)?.offset == 0)
    }
}
