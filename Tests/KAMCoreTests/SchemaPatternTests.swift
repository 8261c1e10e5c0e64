import Testing

@testable import KAMCore

/// `ECMARegex` gives patterns ECMA-262's meaning, on both engines, and refuses what it cannot run.
@Suite("SchemaPattern")
struct SchemaPatternTests {
    static let cases: [(String, String, Bool)] = [
        ("^(activity|deal|task):[A-Za-z0-9_-]+$", "deal:d_77", true),
        ("^(activity|deal|task):[A-Za-z0-9_-]+$", "deal:d 77", false),
        ("^(activity|deal|task):[A-Za-z0-9_-]+$", "xdeal:d", false),
        ("^a{2,3}$", "aaa", true),
        ("^a{2,3}$", "aaaa", false),
        ("^a{2}$", "aa", true),
        ("^a{2,}$", "a", false),
        ("^a{0}$", "", true),
        ("^[^a-c]+$", "xyz💩", true),
        ("^[^a-c]+$", "xaz", false),
        ("^.$", "💩", true),
        ("^.$", "\n", false),
        ("^.$", "\u{2028}", false),
        ("^.$", "\r", false),
        ("^\\d{3}-\\d{4}$", "555-1234", true),
        ("^\\d+$", "١٢٣", false),
        ("(ab|a)(bc|c)?$", "zabc", true),
        ("colou?r", "the color", true),
        ("^\\W+$", "7💩", false),
        ("^\\W+$", "é💩", true),
        ("[\\]\\-]", "a-b", true),
        ("^(?:ab)+$", "ababab", true),
        ("^(?:ab)+$", "ababa", false),
        ("^$", "", true),
        ("^abc$", "abc\n", false),
        ("abc$", "abc\n", false),
        ("b", "abc", true),
        ("", "anything", true),
        ("a|", "zzz", true),
        ("[]", "abc", false),
        ("[^]", "x", true),
        ("[^]", "", false),
        ("^\\s$", "\u{00A0}", true),
        ("^\\s$", "\u{FEFF}", true),
        ("^\\s$", "\u{2003}", true),
        ("^\\s$", "\u{0001}", false),
        ("^\\S$", "\u{2013}", true),
        ("^\\t$", "\t", true),
        ("^\\cC$", "\u{0003}", true),
        ("^\\cc$", "\u{0003}", true),
        ("^\\x41\\u0042\\u{43}$", "ABC", true),
        ("^\\uD83D\\uDC32$", "🐲", true),
        ("^🐲*$", "🐲🐲", true),
        ("^🐲*$", "🐉", false),
        ("^\\p{L}+$", "Zürich", true),
        ("^\\p{Letter}+$", "Zürich1", false),
        ("^\\p{digit}+$", "\u{09EA}\u{09E8}", true),
        ("^\\P{L}+$", "123", true),
        ("^[\\p{Lu}\\d]+$", "AB12", true),
        ("^[\\p{Lu}\\d]+$", "Ab12", false),
        ("^\\p{gc=Nd}$", "7", true),
        ("^\\p{Alphabetic}$", "é", true),
        ("^[^\\p{L}]$", "é", false),
        ("\\bcat\\b", "a cat sat", true),
        ("\\bcat\\b", "concatenate", false),
        ("\\Bcat\\B", "concatenate", true),
        ("^\\b", "", false),
        ("^\\B$", "", true),
        ("é", "e\u{0301}", false),  // code points, not canonical equivalence
        ("e", "e\u{0301}", true),
        ("^[a-z]+?$", "abc", true),
        ("^a*?b", "aaab", true),
        ("x{2}y}", "xxy}", true),
        ("a]", "a]", true),
        ("\\/\\.\\-\\_", "/.-_", true),
        ("^\\0$", "\u{0000}", true),
        ("[\\b]", "\u{0008}", true),
        ("(?:a*)*b", "aaab", true),
        ("(a*)+$", "b", true),
        ("^(a*)*$", "aaa", true),
        ("^(a|ab)(c|bcd)(d*)$", "abcd", true),
    ]

    @Test("both engines agree with ECMA-262", arguments: cases)
    func agrees(pattern: String, input: String, expected: Bool) throws {
        let automaton = try ECMARegex(pattern)
        #expect(automaton.isLinear)
        #expect(try automaton.matches(input) == expected, "automaton, /\(pattern)/ on \(input.debugDescription)")
        let backtracking = try ECMARegex(pattern, backtracking: true)
        #expect(try backtracking.matches(input) == expected, "backtracking, /\(pattern)/ on \(input.debugDescription)")
        #expect(try SchemaPattern(pattern).matches(input) == expected)
    }

    @Test("backreferences and lookaround backtrack, with ECMA-262 semantics", arguments: [
        ("^(a+)\\1$", "aaaa", true),
        ("^(a+)\\1$", "aaa", false),
        ("^(?<x>ab)\\k<x>$", "abab", true),
        ("\\k<x>(?<x>a)", "a", true),  // a reference before its group matches empty
        ("^(a)|\\1b$", "b", true),  // an unset group matches empty
        ("^(?:(a)|b)\\1$", "ba", false),
        ("^(?:(a)|b)*\\1$", "ab", true),  // captures reset per iteration: \1 is unset after b
        ("^(?=.*\\d)(?=.*[A-Z]).{8,}$", "passWord1", true),
        ("^(?=.*\\d)(?=.*[A-Z]).{8,}$", "password1", false),
        ("^(?!admin$)[a-z]+$", "admin", false),
        ("^(?!admin$)[a-z]+$", "administrator", true),
        ("(?<=\\$)\\d+", "cost: $42", true),
        ("(?<=\\$)\\d+", "cost: 42", false),
        ("(?<!\\$)\\b\\d+", "$42", false),
        ("(?<!\\$)\\b\\d+", "$42 and 7", true),
        ("(?<=(\\d)(\\d))x\\1\\2", "12x12", true),
        ("(?<=\\1(a))b", "aab", true),
        ("(?<=\\1(a))b", "ab", false),  // lookbehind runs right to left: the group is set before \1 is read
        ("^(?=(a+))a*b\\1$", "aaab" + "aaa", true),
    ])
    func backtracking(pattern: String, input: String, expected: Bool) throws {
        let regex = try ECMARegex(pattern)
        #expect(!regex.isLinear)
        #expect(try regex.matches(input) == expected, "/\(pattern)/ on \(input.debugDescription)")
    }

    @Test("patterns that are not ECMA-262 are refused with the place and a fix", arguments: [
        ("(unclosed", RegexError.Code.syntax, 0),
        ("a)", .syntax, 1),
        ("*a", .syntax, 0),
        ("a**", .syntax, 2),
        ("a{2,1}", .syntax, 1),
        ("a{", .syntax, 1),
        ("{2}", .syntax, 0),
        ("[b-a]", .syntax, 1),
        ("[\\d-z]", .syntax, 1),
        ("\\1(a)(b)\\3", .syntax, 8),
        ("\\k<nope>(?<x>a)", .syntax, 0),
        ("(?<x>a)(?<x>b)", .syntax, 7),
        ("\\q", .syntax, 0),
        ("\\", .syntax, 0),
        ("[abc", .syntax, 0),
        ("^*", .syntax, 0),
        ("(?=a)*", .syntax, 0),
        ("\\p{Nope}", .syntax, 0),
        ("\\p{Script=Greek}", .unsupported, 0),
        ("(?i)abc", .unsupported, 0),
        ("\\u{110000}", .syntax, 0),
        ("\\c1", .syntax, 0),
        ("\\01", .syntax, 0),
    ])
    func refuses(pattern: String, code: RegexError.Code, offset: Int) {
        do {
            _ = try ECMARegex(pattern)
            Issue.record("/\(pattern)/ must not compile")
        } catch {
            #expect(error.code == code, "/\(pattern)/: \(error)")
            #expect(error.offset == offset, "/\(pattern)/: \(error)")
            #expect(error.description.contains(pattern), "\(error)")
        }
    }

    @Test("a pattern whose expansion is too large is refused before it is compiled", arguments: [
        "(a{1000}){1000}", "((a{100}){100}){100}", "a{4294967295}", "(?:x{1,65535}){2}", "(a{2}){2147483647}",
    ])
    func tooLarge(pattern: String) throws {
        #expect(throws: RegexError.self) { try ECMARegex(pattern) }
        do {
            _ = try JSONSchema(["properties": ["id": ["pattern": .string(pattern)]]])
            Issue.record("the schema must not compile")
        } catch {
            #expect(error.code == .patternTooComplex)
            #expect(error.schemaLocation.hasSuffix("#/properties/id/pattern"))
            #expect(error.description.contains("schema.pattern-too-complex"))
            #expect(error.description.contains(pattern))
        }
    }

    @Test("large counts: optional copies are cheap and admitted, mandatory ones that would fill a state are refused")
    func activeInstructions() throws {
        for admitted in ["^.{1,9999}$", ".{0,9998}x", "[a-z]{1,5000}!", ".{990}x", "^\\d{3}-\\d{4}$", "(.*a){30}"] {
            #expect(throws: Never.self, "/\(admitted)/") { try ECMARegex(admitted) }
        }
        let long = String(repeating: "a", count: 9_999)
        #expect(try ECMARegex("^.{1,9999}$").matches(long))
        #expect(!(try ECMARegex("^.{1,9999}$").matches(long + "a")))
        #expect(try ECMARegex(".{0,9998}x").matches(long + "x"))
        #expect(try ECMARegex(".{990}x").matches(String(repeating: "b", count: 5_000) + "x"))
        #expect(!(try ECMARegex(".{990}x").matches(String(repeating: "b", count: 989) + "x")))
        for refused in [".{1001}x", "(?:a|b){300}x", "\\w{5000}\\b"] {
            do {
                _ = try ECMARegex(refused)
                Issue.record("/\(refused)/ must be refused")
            } catch {
                #expect(error.code == .tooLarge)
                #expect(error.message.contains("active at once"), "\(error)")
            }
        }
    }

    @Test func groupsNestedTooDeepAreRefused() {
        let deep = String(repeating: "(", count: 500) + "a" + String(repeating: ")", count: 500)
        #expect(throws: RegexError.self) { try ECMARegex(deep) }
        let fine = String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100)
        #expect((try? ECMARegex(fine)) != nil)
    }

    @Test("a backtracking search that runs out of steps fails closed with schema.pattern-too-complex")
    func stepBudget() throws {
        let hostile = String(repeating: "a", count: 3_000) + "!"
        let regex = try ECMARegex("^(a+)+\\1$")
        #expect(throws: RegexError.self) { try regex.matches(hostile) }
        do {
            _ = try regex.matches(hostile)
        } catch {
            #expect(error.code == .tooComplex)
        }
        for schemaJSON: JSONValue in [
            ["properties": ["name": ["pattern": "^(a+)+\\1$"]]],
            ["properties": ["name": ["not": ["pattern": "^(a+)+\\1$"]]]],
            ["properties": ["name": ["anyOf": [["pattern": "^(a+)+\\1$"], ["type": "integer"]]]]],
            ["patternProperties": ["^(a+)+\\1$": ["type": "integer"]]],
            ["propertyNames": ["not": ["pattern": "^(a+)+\\1$"]]],
        ] {
            let schema = try JSONSchema(schemaJSON)
            let instance: JSONValue = .object(["name": .string(hostile), hostile: "x"])
            #expect(!schema.isValid(instance), "\(schemaJSON)")
            let issues = schema.validate(instance)
            #expect(issues.contains { $0.message.contains("schema.pattern-too-complex") }, "\(schemaJSON): \(issues)")
            #expect(issues.contains { $0.message.contains("^(a+)+\\1$") }, "\(issues)")
        }
    }

    @Test func patternPropertiesUseTheEngine() throws {
        let schema = try JSONSchema([
            "patternProperties": ["^\\p{Lu}\\w*$": ["type": "integer"], "^x-": ["type": "string"]],
            "additionalProperties": false,
        ])
        #expect(schema.isValid(["Name": 1, "x-tag": "t"]))
        #expect(!schema.isValid(["Name": "one"]))
        #expect(!schema.isValid(["name": 1]))
        #expect(schema.validate(["Name": "one"]).map(\.keywordLocation) == ["/patternProperties/^\\p{Lu}\\w*$/type"])
    }
}
