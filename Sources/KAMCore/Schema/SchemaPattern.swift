/// A `pattern` regular expression, compiled once with ECMA-262 semantics where they differ from Swift's.
///
/// JSON Schema patterns are ECMA-262 regular expressions: they search (they are not anchored),
/// work on code points rather than grapheme clusters, and `\d` and `\w` are ASCII-only.
/// Swift's `Regex` is configured to match that.
final class SchemaPattern: @unchecked Sendable {
    // `Regex` is an immutable value whose lazily lowered program is built thread-safely,
    // but it is not declared `Sendable`; this wrapper is only read after initialization.
    let source: String
    private let regex: Regex<AnyRegexOutput>
    /// Patterns that are a plain literal (`"^foo"` or `"bar"`) skip the regex engine.
    private let literal: (text: String, anchored: Bool)?
    /// The byte-level matcher, for patterns within its subset.
    private let simple: SimpleRegex?

    init(_ source: String) throws {
        self.source = source
        self.regex = try Regex(Self.translate(source))
            .matchingSemantics(.unicodeScalar)
            .asciiOnlyDigits()
            .asciiOnlyWordCharacters()
        self.literal = Self.plainLiteral(source)
        self.simple = SimpleRegex(source)
    }

    func matches(_ string: String) -> Bool {
        if let literal {
            return literal.anchored ? string.hasPrefix(literal.text) : string.contains(literal.text)
        }
        if let simple, let result = simple.matches(string) { return result }
        return string.contains(regex)
    }

    private static func plainLiteral(_ source: String) -> (String, Bool)? {
        var text = Substring(source)
        var anchored = false
        if text.first == "^" {
            anchored = true
            text = text.dropFirst()
        }
        guard !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == " " }),
            text.unicodeScalars.allSatisfy({ $0.isASCII })
        else { return nil }
        return (String(text), anchored)
    }

    /// Rewrites the ECMA-262 escapes Swift spells differently.
    static func translate(_ source: String) -> String {
        var out = ""
        var chars = Array(source.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if c == "\\", let next = chars.first {
                chars.removeFirst()
                switch next {
                case "c":
                    // \cX: control character.
                    if let letter = chars.first, letter.properties.isAlphabetic, letter.isASCII {
                        chars.removeFirst()
                        let value = letter.value % 32
                        out += "\\u{\(String(value, radix: 16))}"
                    } else {
                        out += "\\\\c"
                    }
                case "u" where chars.first == "{":
                    out += "\\u"
                case "u":
                    // \uXXXX → \u{XXXX}
                    let hex = chars.prefix(4)
                    if hex.count == 4, hex.allSatisfy({ $0.properties.isASCIIHexDigit }) {
                        chars.removeFirst(4)
                        out += "\\u{" + String(String.UnicodeScalarView(hex)) + "}"
                    } else {
                        out += "\\u"
                    }
                default:
                    out.unicodeScalars.append("\\")
                    out.unicodeScalars.append(next)
                }
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
