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

    /// Wraps `text` in an untrusted fence whose `source` says where it came from (`activity:123`), or in a
    /// bare `<untrusted>` fence when the source would say nothing the line does not (a name in a list).
    ///
    /// - Parameters:
    ///   - text: the client-written text, used as is (nothing in it is trusted).
    ///   - source: where the text came from; escaped too, so it cannot break out of the attribute.
    public static func fence(_ text: String, source: String?) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + (source?.utf8.count ?? 0) + 48)
        if let source {
            out.append(contentsOf: openStart)
            appendEscapedAttribute(source, to: &out)
            out.append(contentsOf: openEnd)
        } else {
            out.append(contentsOf: openBare)
        }
        appendNeutralized(text, to: &out)
        out.append(contentsOf: close)
        return String(decoding: out, as: UTF8.self)
    }

    /// Escapes `text` so that it can sit inside a fence: no markup, no role marker at a line start.
    public static func neutralize(_ text: String) -> String {
        if isPlain(text) { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        appendNeutralized(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the neutralized UTF-8 of `text` to `out`.
    static func appendNeutralized(_ text: String, to out: inout [UInt8]) {
        var source = text
        source.withUTF8 { bytes in
            var index = 0
            var atLineStart = true
            while index < bytes.count {
                // Checked where a renderer would see a line start.
                if atLineStart {
                    atLineStart = false
                    if roleMarkerLength(bytes, from: index) != nil { out.append(contentsOf: quote) }
                }
                // Copy the run of bytes that need nothing.
                let runStart = index
                while index < bytes.count, !needsAttention(bytes[index]) { index += 1 }
                if index > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                guard index < bytes.count else { break }
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "&"): out.append(contentsOf: amp)
                case UInt8(ascii: "<"): out.append(contentsOf: lt)
                case UInt8(ascii: ">"): out.append(contentsOf: gt)
                case 0x0A, 0x0B, 0x0C:
                    out.append(0x0A)
                    atLineStart = true
                case 0x0D:
                    if index < bytes.count, bytes[index] == 0x0A { index += 1 }
                    out.append(0x0A)
                    atLineStart = true
                case 0xC2 where index < bytes.count && bytes[index] == 0x85:  // U+0085 next line
                    index += 1
                    out.append(0x0A)
                    atLineStart = true
                case 0xE2 where index + 1 < bytes.count && bytes[index] == 0x80
                    && (bytes[index + 1] == 0xA8 || bytes[index + 1] == 0xA9):  // U+2028, U+2029
                    index += 2
                    out.append(0x0A)
                    atLineStart = true
                default:
                    out.append(byte)
                }
            }
        }
    }

    /// Bytes that may start markup, a line break, or (0xC2, 0xE2) a Unicode line break.
    @inline(__always)
    private static func needsAttention(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), 0x0A, 0x0B, 0x0C, 0x0D, 0xC2, 0xE2: true
        default: false
        }
    }

    private static let openStart = Array("<untrusted source=\"".utf8)
    private static let openEnd = Array("\">".utf8)
    private static let openBare = Array("<untrusted>".utf8)
    private static let close = Array("</untrusted>".utf8)
    private static let quot = Array("&quot;".utf8)
    private static let quote = Array("> ".utf8)
    private static let amp = Array("&amp;".utf8)
    private static let lt = Array("&lt;".utf8)
    private static let gt = Array("&gt;".utf8)
    private static let packedRoleWords: [UInt128] = roleMarkers.map { word in
        word.utf8.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }

    /// True when a line, ignoring leading blanks and an optional `#`, begins with a role word followed
    /// by optional blanks and a colon (`system:`, `  # Assistant :`), case-insensitively.
    public static func startsWithRoleMarker(_ line: Substring) -> Bool {
        var line = line
        return line.withUTF8 { roleMarkerLength($0, from: 0) != nil }
    }

    /// The byte length of a role marker at `start` (blanks, optional `#`, role word, blanks, colon), if any.
    static func roleMarkerLength(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        func skipBlanks() {
            while index < bytes.count {
                let length = blankLength(bytes, at: index)
                if length == 0 { return }
                index += length
            }
        }
        skipBlanks()
        if index < bytes.count, bytes[index] == UInt8(ascii: "#") {
            index += 1
            skipBlanks()
        }
        // The role word, lowercased and packed into an integer (role words are at most 9 letters).
        var packed: UInt128 = 0
        var letters = 0
        while index < bytes.count {
            var byte = bytes[index]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 32 }
            guard byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") else { break }
            letters += 1
            if letters > 12 { return nil }
            packed = packed << 8 | UInt128(byte)
            index += 1
        }
        guard letters > 0, packedRoleWords.contains(packed) else { return nil }
        skipBlanks()
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") { return index + 1 - start }
        // U+FF1A fullwidth colon.
        if index + 2 < bytes.count, bytes[index] == 0xEF, bytes[index + 1] == 0xBC, bytes[index + 2] == 0x9A {
            return index + 3 - start
        }
        return nil
    }

    /// Bytes of a horizontal blank at `index`: space, tab, no-break space, the U+2000 family, narrow and
    /// medium math spaces, ideographic space; 0 for anything else.
    private static func blankLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        if byte == 0x20 || byte == 0x09 { return 1 }
        let remaining = bytes.count - index
        if byte == 0xC2, remaining >= 2, bytes[index + 1] == 0xA0 { return 2 }
        guard remaining >= 3 else { return 0 }
        let second = bytes[index + 1]
        let third = bytes[index + 2]
        if byte == 0xE2, second == 0x80, (0x80...0x8A).contains(third) || third == 0xAF { return 3 }
        if byte == 0xE2, second == 0x81, third == 0x9F { return 3 }
        if byte == 0xE3, second == 0x80, third == 0x80 { return 3 }
        return 0
    }

    /// Reverses `neutralize` for the markup escapes (the `> ` quoting of role lines stays: it is
    /// part of how the text is shown, not of what it says).
    public static func unescape(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
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
        var text = text
        return text.withUTF8 { roleMarkerLength($0, from: 0) == nil }
    }

    static func appendEscapedAttribute(_ value: String, to out: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: amp)
            case UInt8(ascii: "<"): out.append(contentsOf: lt)
            case UInt8(ascii: ">"): out.append(contentsOf: gt)
            case UInt8(ascii: "\""): out.append(contentsOf: quot)
            case 0x0A, 0x0D: out.append(0x20)
            default: out.append(byte)
            }
        }
    }
}
