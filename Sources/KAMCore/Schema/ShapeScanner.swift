/// The single pass of `SchemaShape`: reads a JSON document's bytes, checks every value against
/// its shape node as it goes, and writes the `JSONTape` that `JSONTapeDecoder` reads.
///
/// It answers only whether the document is valid; any doubt (bad JSON, a broken constraint, a
/// member the shape does not list, a duplicate key, a pattern out of steps) is `false`, and the
/// general path then parses, validates and reports as it always has.
struct ShapeScanner {
    var reader: JSONByteReader
    let nodes: [SchemaShape.Node]
    var tape: JSONTape
    /// Backtracking steps left for every pattern of this answer together, as in `SchemaEvaluator`.
    var patternSteps = ECMARegex.stepBudget

    init(bytes: UnsafeBufferPointer<UInt8>, nodes: [SchemaShape.Node], maxDepth: Int) {
        reader = JSONByteReader(bytes: bytes, maxDepth: maxDepth)
        self.nodes = nodes
        tape = JSONTape(capacity: 64)
    }

    var bytes: UnsafeBufferPointer<UInt8> { reader.bytes }

    /// Whether the text is one value matching node `root`, with only whitespace around it.
    mutating func document(_ root: Int) -> Bool {
        reader.skipWhitespace()
        // A byte-order mark (which the parser tolerates) is left to the general path.
        guard reader.index < bytes.count, bytes[reader.index] != 0xEF else { return false }
        guard value(root, parent: -1) else { return false }
        reader.skipWhitespace()
        return reader.index == bytes.count
    }

    /// Reads the value at the reader's position against node `shape` (-1: any value).
    mutating func value(_ shape: Int, parent: Int) -> Bool {
        guard reader.index < bytes.count else { return false }
        let node: SchemaShape.Node? = shape >= 0 ? nodes[shape] : nil
        switch bytes[reader.index] {
        case UInt8(ascii: "\""):
            return string(node, parent: parent)
        case UInt8(ascii: "{"):
            return object(node, parent: parent)
        case UInt8(ascii: "["):
            return array(node, parent: parent)
        case UInt8(ascii: "t"):
            guard (try? reader.literal("true")) != nil, admits(node, JSONTypeBits.boolean) else { return false }
            _ = tape.append(.bool, parent: parent, flag: true)
            return true
        case UInt8(ascii: "f"):
            guard (try? reader.literal("false")) != nil, admits(node, JSONTypeBits.boolean) else { return false }
            _ = tape.append(.bool, parent: parent)
            return true
        case UInt8(ascii: "n"):
            guard (try? reader.literal("null")) != nil, admits(node, JSONTypeBits.null) else { return false }
            _ = tape.append(.null, parent: parent)
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return number(node, parent: parent)
        default:
            return false
        }
    }

    /// Whether `type` admits a value of kind `bits` and `enum` (of strings) does not rule it out.
    @inline(__always)
    func admits(_ node: SchemaShape.Node?, _ bits: UInt8) -> Bool {
        guard let node else { return true }
        if let mask = node.typeMask, mask & bits == 0 { return false }
        return node.enumStrings == nil || bits == JSONTypeBits.string
    }

    mutating func number(_ node: SchemaShape.Node?, parent: Int) -> Bool {
        guard let parsed = try? reader.parseNumber(), admits(node, JSONTypeBits.bits(of: parsed)) else { return false }
        if let node, node.hasNumberChecks, let x = parsed.doubleValue {
            if let m = node.minimum, x < m { return false }
            if let m = node.exclusiveMinimum, x <= m { return false }
            if let m = node.maximum, x > m { return false }
            if let m = node.exclusiveMaximum, x >= m { return false }
        }
        switch parsed {
        case .int(let i): _ = tape.append(.int, parent: parent, bits: UInt64(bitPattern: i))
        case .double(let d): _ = tape.append(.double, parent: parent, bits: d.bitPattern)
        default: return false
        }
        return true
    }

    mutating func string(_ node: SchemaShape.Node?, parent: Int) -> Bool {
        let open = reader.index
        guard let scanned = scanString(), admits(node, JSONTypeBits.string) else { return false }
        if let node, node.minLength != nil || node.maxLength != nil {
            // A code point is one to four bytes (an escape, one code point): count them only when
            // the byte length does not already decide both bounds.
            let units = scanned.close - open - 1 - scanned.escapeExtra
            let decided = (node.maxLength.map { units <= $0 } ?? true) && (node.minLength.map { (units + 3) / 4 >= $0 } ?? true)
            if !decided {
                let length = Self.codePoints(bytes, open + 1, scanned.close) - scanned.escapeExtra
                if let m = node.minLength, length < m { return false }
                if let m = node.maxLength, length > m { return false }
            }
        }
        if let node {
            if node.enumStrings != nil || node.pattern != nil {
                let decoded = text(open, scanned.close, scanned.escaped)
                if let members = node.enumStrings, !members.contains(where: { $0.elementsEqual(decoded.utf8) }) { return false }
                if let pattern = node.pattern {
                    guard let matched = try? pattern.matches(decoded, budget: &patternSteps), matched else { return false }
                }
            }
        }
        _ = tape.append(.string, parent: parent, start: open, end: scanned.close, flag: scanned.escaped)
        return true
    }

    mutating func object(_ node: SchemaShape.Node?, parent: Int) -> Bool {
        guard admits(node, JSONTypeBits.object), reader.depth < reader.maxDepth else { return false }
        reader.depth += 1
        let index = tape.append(.object, parent: parent, start: reader.index)
        reader.index += 1
        var seen: UInt64 = 0
        var count = 0
        reader.skipWhitespace()
        guard reader.index < bytes.count else { return false }
        if bytes[reader.index] == UInt8(ascii: "}") {
            reader.index += 1
        } else {
            while true {
                reader.skipWhitespace()
                // Members outside `properties` go to the general path, which also finds duplicates among them.
                guard let node, reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: "\"") else { return false }
                let keyOpen = reader.index
                guard let key = scanString(), let member = property(node, keyOpen, key.close, key.escaped),
                    seen & (1 << UInt64(member)) == 0
                else { return false }
                seen |= 1 << UInt64(member)
                _ = tape.append(.string, parent: index, start: keyOpen, end: key.close, flag: key.escaped)
                reader.skipWhitespace()
                guard reader.index < bytes.count, bytes[reader.index] == UInt8(ascii: ":") else { return false }
                reader.index += 1
                reader.skipWhitespace()
                guard value(node.children[member], parent: index) else { return false }
                count += 1
                guard let more = separator(closing: UInt8(ascii: "}")) else { return false }
                if !more { break }
            }
        }
        if let node, node.requiredMask & ~seen != 0 { return false }
        reader.depth -= 1
        tape.close(index, count: count)
        return true
    }

    mutating func array(_ node: SchemaShape.Node?, parent: Int) -> Bool {
        guard admits(node, JSONTypeBits.array), reader.depth < reader.maxDepth else { return false }
        reader.depth += 1
        let index = tape.append(.array, parent: parent, start: reader.index)
        reader.index += 1
        let items = node?.items ?? -1
        let maxItems = node?.maxItems ?? Int.max
        var count = 0
        reader.skipWhitespace()
        guard reader.index < bytes.count else { return false }
        if bytes[reader.index] == UInt8(ascii: "]") {
            reader.index += 1
        } else {
            while true {
                reader.skipWhitespace()
                guard value(items, parent: index) else { return false }
                count += 1
                guard count <= maxItems, let more = separator(closing: UInt8(ascii: "]")) else { return false }
                if !more { break }
            }
        }
        if let m = node?.minItems, count < m { return false }
        reader.depth -= 1
        tape.close(index, count: count)
        return true
    }

    /// After a member or an element: true at a `,`, false at the container's closing `close`, nil at anything else.
    mutating func separator(closing close: UInt8) -> Bool? {
        reader.skipWhitespace()
        guard reader.index < bytes.count else { return nil }
        let b = bytes[reader.index]
        reader.index += 1
        if b == UInt8(ascii: ",") { return true }
        return b == close ? false : nil
    }

    /// The property of `node` a key names, compared byte for byte (escaped keys decoded first).
    func property(_ node: SchemaShape.Node, _ open: Int, _ close: Int, _ escaped: Bool) -> Int? {
        if escaped {
            let key = Array(text(open, close, true).utf8)
            return node.names.firstIndex(of: key)
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[open + 1..<close])
        return node.names.firstIndex { name in
            name.count == raw.count && name.withUnsafeBufferPointer { $0.elementsEqual(raw) }
        }
    }

    /// The string between the quotes at `open` and `close`, escapes decoded.
    func text(_ open: Int, _ close: Int, _ escaped: Bool) -> String {
        guard escaped else {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[open + 1..<close]), as: UTF8.self)
        }
        var again = reader
        again.index = open
        return (try? again.parseString()) ?? ""
    }

    /// Reads a string from its opening quote to just after its closing one, checking every escape
    /// as `JSONByteReader.parseString` does; returns the closing quote's offset, whether the string
    /// has escapes, and the bytes its escapes take beyond the one code point each decodes to. Nil
    /// when it is not a string.
    mutating func scanString() -> (close: Int, escaped: Bool, escapeExtra: Int)? {
        reader.index += 1
        var escaped = false
        var escapeExtra = 0
        while true {
            reader.skipPlainStringBytes()
            guard reader.index < bytes.count else { return nil }
            let b = bytes[reader.index]
            if b == UInt8(ascii: "\"") {
                let close = reader.index
                reader.index += 1
                return (close, escaped, escapeExtra)
            }
            if b < 0x20 { return nil }
            guard b == UInt8(ascii: "\\") else {
                reader.index += 1
                continue
            }
            escaped = true
            let escapeStart = reader.index
            reader.index += 1
            guard reader.index < bytes.count else { return nil }
            let e = bytes[reader.index]
            reader.index += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                break
            case UInt8(ascii: "u"):
                guard let scalar = try? reader.hex4() else { return nil }
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard reader.index + 1 < bytes.count, bytes[reader.index] == UInt8(ascii: "\\"),
                        bytes[reader.index + 1] == UInt8(ascii: "u")
                    else { return nil }
                    reader.index += 2
                    guard let low = try? reader.hex4(), low >= 0xDC00 && low < 0xE000 else { return nil }
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    return nil
                }
            default:
                return nil
            }
            escapeExtra += reader.index - escapeStart - 1
        }
    }

    /// Code points in `bytes[start..<end]` (valid UTF-8): every byte that does not continue a
    /// sequence, counted eight bytes at a time.
    static func codePoints(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var count = 0
        var i = start
        while i + 8 <= end {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            // A continuation byte is 10xxxxxx: its top bit set, the bit below it clear.
            let continuation = word & ~(word << 1) & 0x8080_8080_8080_8080
            count += 8 - continuation.nonzeroBitCount
            i += 8
        }
        while i < end {
            if bytes[i] & 0xC0 != 0x80 { count += 1 }
            i += 1
        }
        return count
    }
}
