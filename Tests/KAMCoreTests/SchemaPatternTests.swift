import Testing

@testable import KAMCore

/// The byte-level matcher must agree with ECMA-262 on the patterns it accepts, and decline the rest.
@Suite("SchemaPattern")
struct SchemaPatternTests {
    @Test("byte-level matcher agrees with ECMA-262", arguments: [
        ("^(activity|deal|task):[A-Za-z0-9_-]+$", "deal:d_77", true),
        ("^(activity|deal|task):[A-Za-z0-9_-]+$", "deal:d 77", false),
        ("^(activity|deal|task):[A-Za-z0-9_-]+$", "xdeal:d", false),
        ("^a{2,3}$", "aaa", true),
        ("^a{2,3}$", "aaaa", false),
        ("^[^a-c]+$", "xyz💩", true),
        ("^[^a-c]+$", "xaz", false),
        ("^.$", "💩", true),
        ("^.$", "\n", false),
        ("^\\d{3}-\\d{4}$", "555-1234", true),
        ("^\\d+$", "١٢٣", false),
        ("(ab|a)(bc|c)?$", "zabc", true),
        ("colou?r", "the color", true),
        ("^\\W+$", "7💩", false),
        ("[\\]\\-]", "a-b", true),
        ("^(?:ab)+$", "ababab", true),
        ("^(?:ab)+$", "ababa", false),
        ("^$", "", true),
    ])
    func agrees(pattern: String, input: String, expected: Bool) throws {
        let simple = try #require(SimpleRegex(pattern))
        #expect(simple.matches(input) == expected)
        #expect(try SchemaPattern(pattern).matches(input) == expected)
    }

    @Test("features outside the subset fall back to Swift Regex", arguments: [
        "(?=a)b", "(a)\\1", "\\bword", "\\p{L}+", "é+", "\\s", "(a*)*", "[]",
    ])
    func declines(pattern: String) {
        #expect(SimpleRegex(pattern) == nil)
    }

    @Test func fallbackStillMatches() throws {
        #expect(try SchemaPattern("^\\p{L}+$").matches("Zürich"))
        #expect(try SchemaPattern("\\bcat\\b").matches("a cat sat"))
        #expect(!(try SchemaPattern("\\bcat\\b").matches("concatenate")))
    }
}
