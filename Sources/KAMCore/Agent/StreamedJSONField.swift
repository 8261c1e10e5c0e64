/// Reads one top-level string field (a draft's `body`) out of a JSON answer while it streams, so a person
/// watching a draft being written sees its text, not the JSON punctuation around it.
///
/// Feed it the model's deltas in order; each call returns the field's text decoded from that delta (escapes
/// undone, `\u` pairs joined). A second document starting (the runner's repair attempt after an invalid
/// answer) is reported as `restarted`: what was shown so far is void. Hand-written rather than a JSON
/// parser because the document is incomplete until the last delta; only strings and nesting are tracked.
///
/// For example:
/// ```swift
/// var body = StreamedJSONField("body")
/// body.feed(#"{"subject":"Hi","bo"#).text   // ""
/// body.feed(#"dy":"Dear Ann\n"#).text        // "Dear Ann\n"
/// ```
public struct StreamedJSONField: Sendable {
    /// The field's key in the top-level object.
    public let name: String

    private var depth = 0
    private var documents = 0
    private var inString = false
    private var escaping = false
    private var hexDigits: String?
    private var highSurrogate: UInt32?
    /// At depth 1, whether the next string is a key (after `{` or `,`) or a value (after `:`).
    private var expectingKey = false
    private var stringIsKey = false
    private var stringIsTarget = false
    private var key = ""
    private var lastKey: String?

    public init(_ name: String) {
        self.name = name
    }

    /// The field's text found in one delta.
    public struct Piece: Sendable, Hashable {
        public var text: String
        /// A new document began in this delta; text shown before it is void (`text` is the new document's).
        public var restarted: Bool
    }

    /// Reads `delta`, returning the field's text it held.
    public mutating func feed(_ delta: String) -> Piece {
        var piece = Piece(text: "", restarted: false)
        for scalar in delta.unicodeScalars {
            if inString {
                readString(scalar, into: &piece.text)
            } else {
                readStructure(scalar, into: &piece)
            }
        }
        return piece
    }

    private mutating func readStructure(_ scalar: Unicode.Scalar, into piece: inout Piece) {
        switch scalar {
        case "{", "[":
            if depth == 0 {
                documents += 1
                if documents > 1 {
                    piece.restarted = true
                    piece.text = ""
                }
                lastKey = nil
            }
            depth += 1
            if depth == 1 { expectingKey = scalar == "{" }
        case "}", "]":
            depth = max(0, depth - 1)
        case ":" where depth == 1:
            expectingKey = false
        case "," where depth == 1:
            expectingKey = true
        case "\"":
            inString = true
            stringIsKey = depth == 1 && expectingKey
            stringIsTarget = depth == 1 && !expectingKey && lastKey == name
            key = ""
        default:
            break
        }
    }

    private mutating func readString(_ scalar: Unicode.Scalar, into text: inout String) {
        if var digits = hexDigits {
            digits.unicodeScalars.append(scalar)
            guard digits.count == 4 else {
                hexDigits = digits
                return
            }
            hexDigits = nil
            guard let unit = UInt32(digits, radix: 16) else { return }
            if (0xD800...0xDBFF).contains(unit) {
                highSurrogate = unit
                return
            }
            var value = unit
            if (0xDC00...0xDFFF).contains(unit), let high = highSurrogate {
                value = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
            }
            highSurrogate = nil
            if let decoded = Unicode.Scalar(value) { emit(decoded, into: &text) }
            return
        }
        if escaping {
            escaping = false
            switch scalar {
            case "n": emit("\n", into: &text)
            case "t": emit("\t", into: &text)
            case "r": emit("\r", into: &text)
            case "b": emit("\u{8}", into: &text)
            case "f": emit("\u{C}", into: &text)
            case "u": hexDigits = ""
            default: emit(scalar, into: &text)
            }
            return
        }
        switch scalar {
        case "\\":
            escaping = true
        case "\"":
            inString = false
            if stringIsKey { lastKey = key }
        default:
            emit(scalar, into: &text)
        }
    }

    private mutating func emit(_ scalar: Unicode.Scalar, into text: inout String) {
        if stringIsKey { key.unicodeScalars.append(scalar) }
        if stringIsTarget { text.unicodeScalars.append(scalar) }
    }
}
