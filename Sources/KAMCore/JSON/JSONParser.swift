/// Parses JSON text into `JSONValue`, straight from its UTF-8 bytes.
///
/// Model answers are parsed on every attempt, so this avoids Foundation's `JSONSerialization`
/// (which boxes every value) and keeps what `JSONValue` needs: integers stay `.int` when they
/// are written without a fraction or exponent and fit in 64 bits. Errors say where the text went
/// wrong (line and column, counted in Unicode code points, both from 1), and a text that stops
/// in the middle — a model that ran into `max_tokens` — is reported as `.truncated`.
public struct JSONParser: Sendable {
    /// How deeply arrays and objects may nest before the text is refused (protects the stack).
    public var maxDepth: Int

    public init(maxDepth: Int = 512) {
        self.maxDepth = maxDepth
    }

    /// Parses one JSON document; whitespace may surround it, nothing else may follow it.
    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONParseError> = text.withUTF8 { bytes in
            var reader = JSONByteReader(bytes: bytes, maxDepth: maxDepth)
            do throws(JSONParseError) {
                return .success(try reader.document())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses one JSON document from UTF-8 bytes; bytes that are not UTF-8 are refused (RFC 8259
    /// allows no other encoding), with the line and column of the first bad byte.
    public func parse(bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONByteReader(bytes: buffer, maxDepth: maxDepth)
            do throws(JSONParseError) {
                if let bad = UTF8Scan.invalidSequences(in: buffer, limit: 1).first {
                    reader.index = bad.lowerBound
                    throw reader.error(
                        .invalidEncoding,
                        "\(reader.describe(buffer[bad.lowerBound])) is not UTF-8; JSON text must be UTF-8 (convert the file, e.g. with iconv)")
                }
                return .success(try reader.document())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Where the value at `path` starts in `bytes`, a document this parser accepts; nil when the
    /// document has no value at that path (or is not valid JSON).
    ///
    /// Decoding errors and checks of a decoded value know only a path (`clients[3].deals[0]`);
    /// this finds its line and column for the message by reading the text again, which is paid
    /// only when there is something to report.
    ///
    /// For example:
    ///
    ///     let bytes = Array("{\n  \"a\": [1, 2]\n}".utf8)
    ///     JSONParser().location(of: [.key("a"), .index(1)], in: bytes)  // line 2, column 13
    public func location(of path: [JSONPathComponent], in bytes: [UInt8]) -> JSONSourceLocation? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONByteReader(bytes: buffer, maxDepth: maxDepth)
            guard let offset = try? reader.seek(path[...]) else { return nil }
            let (line, column) = reader.lineColumn(at: offset)
            return JSONSourceLocation(line: line, column: column, offset: offset)
        }
    }

    /// Parses `text` with the default settings.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONParser().parse(text)
    }
}

/// Why a JSON text could not be parsed, and where.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The text stopped before the document was complete (cut-off output).
        case truncated = "json.truncated"
        /// A character that cannot appear where it was found.
        case unexpectedCharacter = "json.unexpected-character"
        /// A malformed number literal.
        case invalidNumber = "json.invalid-number"
        /// A bad escape sequence, a control character or invalid UTF-16 surrogate in a string.
        case invalidString = "json.invalid-string"
        /// Something other than whitespace follows the document.
        case trailingContent = "json.trailing-content"
        /// Arrays and objects nest more deeply than `JSONParser.maxDepth`.
        case tooDeep = "json.too-deep"
        /// An object has the same key twice (RFC 8259 leaves the meaning open, so it is refused).
        case duplicateKey = "json.duplicate-key"
        /// The bytes are not UTF-8.
        case invalidEncoding = "json.invalid-encoding"
    }

    public var code: Code
    /// What was wrong and what to do about it.
    public var message: String
    /// 1-based line of the offending character (or of the end of the text).
    public var line: Int
    /// 1-based column, in Unicode code points.
    public var column: Int
    /// 0-based byte offset in the UTF-8 text.
    public var offset: Int

    public init(code: Code, message: String, line: Int, column: Int, offset: Int) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}

struct JSONByteReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func document() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        // A byte-order mark is tolerated at the very start.
        if index == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3
            skipWhitespace()
        }
        let value = try parseValue()
        skipWhitespace()
        if index < bytes.count {
            throw error(.trailingContent, "unexpected \(describe(bytes[index])) after the end of the JSON document; remove it or send exactly one JSON value")
        }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { index += 1 } else { return }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw truncated("a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default:
            throw error(.unexpectedCharacter, "unexpected \(describe(bytes[index])) where a value was expected (object, array, string, number, true, false or null)")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        let start = word.utf8Start
        for i in 0..<count {
            guard index + i < bytes.count else {
                index += i
                throw truncated("'\(word)'")
            }
            if bytes[index + i] != start[i] {
                index += i
                throw error(.unexpectedCharacter, "unexpected \(describe(bytes[index])) in the literal '\(word)'")
            }
        }
        index += count
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth {
            throw error(.tooDeep, "arrays and objects nest more than \(maxDepth) levels deep; flatten the document")
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        let objectStart = index
        index += 1
        var fields: [String: JSONValue] = [:]
        skipWhitespace()
        guard index < bytes.count else { throw truncated("a property name or '}'") }
        if bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(fields)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw truncated("a property name") }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw error(.unexpectedCharacter, "unexpected \(describe(bytes[index])) where a property name in double quotes was expected")
            }
            let keyStart = index
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count else { throw truncated("':'") }
            guard bytes[index] == UInt8(ascii: ":") else {
                throw error(.unexpectedCharacter, "unexpected \(describe(bytes[index])) after the property name \"\(key)\"; expected ':'")
            }
            index += 1
            skipWhitespace()
            if fields.updateValue(try parseValue(), forKey: key) != nil {
                index = keyStart
                throw duplicateKey(key, objectStart: objectStart)
            }
            skipWhitespace()
            guard index < bytes.count else { throw truncated("',' or '}'") }
            let b = bytes[index]
            index += 1
            if b == UInt8(ascii: ",") { continue }
            if b == UInt8(ascii: "}") { break }
            index -= 1
            throw error(.unexpectedCharacter, "unexpected \(describe(b)) in an object; expected ',' or '}'")
        }
        depth -= 1
        return .object(fields)
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        guard index < bytes.count else { throw truncated("a value or ']'") }
        if bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw truncated("',' or ']'") }
            let b = bytes[index]
            index += 1
            if b == UInt8(ascii: ",") { continue }
            if b == UInt8(ascii: "]") { break }
            index -= 1
            throw error(.unexpectedCharacter, "unexpected \(describe(b)) in an array; expected ',' or ']'")
        }
        depth -= 1
        return .array(elements)
    }

    /// Reads a string starting at its opening quote; the fast path copies unescaped runs at once.
    mutating func parseString() throws(JSONParseError) -> String {
        let open = index
        index += 1
        let start = index
        // Fast path: no escapes.
        skipPlainStringBytes()
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 {
                throw error(.invalidString, "control character \(describe(b)) inside a string; escape it (\\n, \\t, \\u00XX)")
            }
            index += 1
        }
        guard index < bytes.count else {
            index = bytes.count
            throw truncated("the closing '\"' of the string that starts at \(position(of: open))")
        }
        var scratch: [UInt8] = []
        scratch.reserveCapacity(index - start + 16)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if b < 0x20 {
                throw error(.invalidString, "control character \(describe(b)) inside a string; escape it (\\n, \\t, \\u00XX)")
            }
            if b != UInt8(ascii: "\\") {
                let run = index
                index += 1
                skipPlainStringBytes()
                while index < bytes.count, bytes[index] >= 0x20, bytes[index] != 0x22, bytes[index] != 0x5C { index += 1 }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                continue
            }
            index += 1
            guard index < bytes.count else { throw truncated("an escape sequence") }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard index + 1 < bytes.count else { throw truncated("the low surrogate of a \\u escape pair") }
                    guard bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw error(.invalidString, "a \\u escape for a high surrogate (\\u\(hex(scalar))) is not followed by a low surrogate")
                    }
                    index += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low < 0xE000 else {
                        throw error(.invalidString, "\\u\(hex(low)) is not a low surrogate after \\u\(hex(scalar))")
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw error(.invalidString, "a lone low surrogate \\u\(hex(scalar)) is not a character")
                }
                appendUTF8(UInt32(scalar), to: &scratch)
            default:
                index -= 1
                throw error(.invalidString, "invalid escape '\\\(describeRaw(e))' in a string; valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
            }
        }
        throw truncated("the closing '\"' of the string that starts at \(position(of: open))")
    }

    /// Skips eight bytes at a time while none is a quote, a backslash or a control character.
    @inline(__always)
    mutating func skipPlainStringBytes() {
        guard let base = bytes.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if special & highs != 0 { return }
            index += 8
        }
    }

    func hex(_ v: Int) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    mutating func hex4() throws(JSONParseError) -> Int {
        var value = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw truncated("four hex digits of a \\u escape") }
            let b = bytes[index]
            let digit: Int
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(b - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(b - UInt8(ascii: "A")) + 10
            default: throw error(.invalidString, "unexpected \(describe(b)) in a \\u escape; expected a hex digit")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < bytes.count else { throw truncated("the digits of a number") }
        guard isDigit(bytes[index]) else {
            throw error(.invalidNumber, "unexpected \(describe(bytes[index])) in a number; expected a digit")
        }
        // Accumulate as a negative value so Int64.min fits.
        var value: Int64 = 0
        var overflow = false
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) {
                throw error(.invalidNumber, "a number cannot have a leading zero; write it without the 0 or as a string")
            }
        } else {
            while index < bytes.count, isDigit(bytes[index]) {
                let d = Int64(bytes[index] - UInt8(ascii: "0"))
                if !overflow {
                    let (m, o1) = value.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.subtractingReportingOverflow(d)
                    if o1 || o2 { overflow = true } else { value = s }
                }
                index += 1
            }
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count else { throw truncated("the digits after a decimal point") }
            guard isDigit(bytes[index]) else {
                throw error(.invalidNumber, "unexpected \(describe(bytes[index])) after a decimal point; expected a digit")
            }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count else { throw truncated("the digits of an exponent") }
            guard isDigit(bytes[index]) else {
                throw error(.invalidNumber, "unexpected \(describe(bytes[index])) in an exponent; expected a digit")
            }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if isInteger && !overflow {
            if negative { return .int(value) }
            if value != Int64.min { return .int(-value) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let d = Double(text), d.isFinite else {
            throw error(.invalidNumber, "the number \(text) is out of range for a 64-bit floating point value")
        }
        return .double(d)
    }

    /// The error for a key seen twice in the object at `objectStart`, naming both places.
    func duplicateKey(_ key: String, objectStart: Int) -> JSONParseError {
        var first = JSONByteReader(bytes: bytes, maxDepth: maxDepth)
        first.index = objectStart
        let earlier = (try? first.member(key)).flatMap { $0 }.map(position(of:))
        let shown = key.count > 60 ? String(key.prefix(60)) + "…" : key
        return error(
            .duplicateKey,
            "the key \"\(shown)\" appears twice in one object\(earlier.map { " (first at \($0))" } ?? ""); keys must be unique: remove or rename one")
    }

    /// Moves from the `{` of an object to the value of its first member named `wanted`; returns
    /// the offset of that member's key, or nil when the object has no such member.
    mutating func member(_ wanted: String) throws(JSONParseError) -> Int? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let keyStart = index
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipWhitespace()
            if key == wanted { return keyStart }
            _ = try parseValue()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
        }
    }

    /// Moves to the value at `path` below the value at the current position and returns its offset.
    mutating func seek(_ path: ArraySlice<JSONPathComponent>) throws(JSONParseError) -> Int? {
        skipWhitespace()
        guard let step = path.first else { return index }
        switch step {
        case .key(let wanted):
            guard try member(wanted) != nil else { return nil }
        case .index(let wanted):
            guard index < bytes.count, bytes[index] == UInt8(ascii: "["), wanted >= 0 else { return nil }
            index += 1
            for _ in 0..<wanted {
                skipWhitespace()
                _ = try parseValue()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] != UInt8(ascii: "]") else { return nil }
        }
        return try seek(path.dropFirst())
    }

    @inline(__always)
    func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    func truncated(_ expected: String) -> JSONParseError {
        var e = error(.truncated, "the JSON text ends where \(expected) was expected; the document is cut off; send the complete JSON")
        e.offset = bytes.count
        return e
    }

    func error(_ code: JSONParseError.Code, _ message: String) -> JSONParseError {
        let (line, column) = lineColumn(at: index)
        return JSONParseError(code: code, message: message, line: line, column: column, offset: index)
    }

    func position(of offset: Int) -> String {
        let (line, column) = lineColumn(at: offset)
        return "line \(line), column \(column)"
    }

    /// Line and column (in code points) of a byte offset; computed only when an error is reported.
    func lineColumn(at offset: Int) -> (Int, Int) {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return (line, column)
    }

    func describe(_ b: UInt8) -> String {
        if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    func describeRaw(_ b: UInt8) -> String {
        if b >= 0x20 && b < 0x7F { return String(Character(Unicode.Scalar(b))) }
        return "\\u{\(String(b, radix: 16))}"
    }
}
