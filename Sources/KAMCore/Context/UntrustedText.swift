/// Fences text that a client (or anyone outside the account team) wrote, so a model reads it as data.
///
/// Client emails, activity notes and remembered facts from non-user sources can contain text that
/// looks like instructions ("ignore previous instructions", a fake `system:` line, a closing fence).
/// Every such piece is wrapped in `<untrusted source="…">…</untrusted>` and neutralized so that:
/// - it cannot close the fence or open a new one: `&`, `<` and `>` are written as `&amp;`, `&lt;` and
///   `&gt;`, so no tag (nor a chat template marker such as `<|im_start|>`) survives inside the fence;
/// - it cannot start a new chat message when the context is rendered into a Prompty template: a line
///   whose first word is a role marker (`system:`, `user:`, `assistant:`, ...) is quoted with `> `, so the
///   renderer's `^\s*#?\s*role\s*:` detection never sees it at a line start;
/// - line breaks are normalized to `\n` (`\r\n`, `\r`, U+2028, ... included), so a renderer that splits
///   on any of them sees the same lines as the fence did.
///
/// The escaping is reversible (`unescape`), which tests and the prompt engineer's tooling may use.
public enum UntrustedText {
    /// The opening tag's name; `fence` writes `<untrusted source="…">` and `</untrusted>`.
    public static let tagName = "untrusted"

    /// Role words that a chat renderer or a model may take as the start of a new message.
    public static let roleMarkers: [String] = [
        "system", "user", "assistant", "developer", "tool", "function", "human", "ai", "model",
    ]

    /// Wraps `text` in an untrusted fence whose `source` says where it came from (`activity:123`).
    ///
    /// - Parameters:
    ///   - text: the client-written text, used as is (nothing in it is trusted).
    ///   - source: where the text came from; escaped too, so it cannot break out of the attribute.
    public static func fence(_ text: String, source: String) -> String {
        var out = "<untrusted source=\""
        out.reserveCapacity(text.utf8.count + source.utf8.count + 40)
        appendEscapedAttribute(source, to: &out)
        out += "\">"
        out += neutralize(text)
        out += "</untrusted>"
        return out
    }

    /// Escapes `text` so that it can sit inside a fence: no markup, no role marker at a line start.
    public static func neutralize(_ text: String) -> String {
        if isPlain(text) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        // Work line by line so role markers are checked where a renderer would see them.
        func appendLine(_ line: Substring) {
            if startsWithRoleMarker(line) { out += "> " }
            for scalar in line.unicodeScalars {
                switch scalar {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        var lineStart = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            if text[index].isNewline {
                appendLine(text[lineStart..<index])
                out += "\n"
                index = text.index(after: index)
                lineStart = index
            } else {
                index = text.index(after: index)
            }
        }
        appendLine(text[lineStart..<text.endIndex])
        return out
    }

    /// Reverses `neutralize` for the markup escapes (the `> ` quoting of role lines stays: it is
    /// part of how the text is shown, not of what it says).
    public static func unescape(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// True when a line, ignoring leading blanks and an optional `#`, begins with a role word followed
    /// by optional blanks and a colon (`system:`, `  # Assistant :`), case-insensitively.
    public static func startsWithRoleMarker(_ line: Substring) -> Bool {
        let scalars = Array(line.unicodeScalars.prefix(40))
        var i = 0
        func skipBlanks() {
            while i < scalars.count, scalars[i].properties.isWhitespace { i += 1 }
        }
        skipBlanks()
        if i < scalars.count, scalars[i] == "#" {
            i += 1
            skipBlanks()
        }
        let wordStart = i
        while i < scalars.count, scalars[i].properties.isAlphabetic { i += 1 }
        guard i > wordStart else { return false }
        let word = String(String.UnicodeScalarView(scalars[wordStart..<i])).lowercased()
        guard roleMarkers.contains(word) else { return false }
        skipBlanks()
        return i < scalars.count && (scalars[i] == ":" || scalars[i] == "\u{FF1A}")
    }

    /// The fast path: ASCII-only checks that prove no escaping is needed (no markup characters, no line
    /// breaks, and no role word at the start).
    static func isPlain(_ text: String) -> Bool {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), 0x0A, 0x0B, 0x0C, 0x0D: return false
            // U+0085, U+2028, U+2029 (line breaks) start with these lead bytes; be conservative.
            case 0xC2, 0xE2: return false
            default: continue
            }
        }
        return !startsWithRoleMarker(text[...])
    }

    static func appendEscapedAttribute(_ value: String, to out: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\r": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}
