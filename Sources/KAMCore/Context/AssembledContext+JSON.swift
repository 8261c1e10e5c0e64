import Foundation

extension AssembledContext {
    /// The context as JSON: byte for byte what `JSONEncoder` writes with `.sortedKeys`,
    /// `.withoutEscapingSlashes` and `.iso8601` dates (the API's response settings), about ten times faster.
    ///
    /// `GET /clients/:id/context` answers with it: Foundation's encoder spent as long on a 20 kB context
    /// as reading and assembling it. Hand-written because the shape is fixed (these types' synthesized
    /// `Codable`, whose keys are already in sorted order here) and the only values needing care are strings
    /// and doubles; a double this writer does not print exactly as Foundation does (exponents, non-finite)
    /// makes it fall back to `JSONEncoder`, so the bytes are always the encoder's.
    public func encodedJSON() throws -> Data {
        var writer = ContextJSONWriter()
        writer.write(self)
        if writer.unusual {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            return try encoder.encode(self)
        }
        return Data(writer.bytes)
    }

    /// `encoded` (what `encodedJSON()` wrote for a context) with its `assembledAt` set to `instant`: the bytes
    /// `encodedJSON()` writes for the same context assembled at `instant`, without writing the rest again. nil when
    /// `encoded` does not start as `encodedJSON()` starts (`{"activityDays":N,"assembledAt":"...",`).
    public static func encodedJSON(_ encoded: Data, reassembledAt instant: Date) -> Data? {
        let opening = Array("{\"activityDays\":".utf8)
        let label = Array(",\"assembledAt\":\"".utf8)
        return encoded.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Data? in
            guard bytes.starts(with: opening) else { return nil }
            var index = opening.count
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            guard index > opening.count, bytes[index...].starts(with: label) else { return nil }
            let dateStart = index + label.count
            // An ISO-8601 time holds no quote and no backslash: the first quote closes it.
            guard let dateEnd = bytes[dateStart...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            var out = Data(capacity: encoded.count + 8)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[..<dateStart]))
            out.append(contentsOf: instant.formatted(.iso8601).utf8)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[dateEnd...]))
            return out
        }
    }
}

/// The byte writer behind `AssembledContext.encodedJSON()`.
struct ContextJSONWriter {
    var bytes: [UInt8] = []
    /// Set when a value was met whose Foundation spelling this writer does not reproduce.
    var unusual = false

    init() { bytes.reserveCapacity(32_768) }

    mutating func write(_ context: AssembledContext) {
        raw("{\"activityDays\":")
        int(context.activityDays)
        raw(",\"assembledAt\":")
        string(context.assembledAt.formatted(.iso8601))
        if let budget = context.budget {
            raw(",\"budget\":")
            int(budget)
        }
        raw(",\"clientID\":")
        string(context.clientID)
        raw(",\"clientName\":")
        string(context.clientName)
        raw(",\"dropped\":")
        list(context.dropped) { writer, item in
            writer.raw("{\"itemID\":")
            writer.string(item.itemID)
            writer.raw(",\"section\":")
            writer.string(item.section.rawValue)
            writer.raw(",\"tier\":")
            writer.int(item.tier.rawValue)
            if let tokens = item.tokens {
                writer.raw(",\"tokens\":")
                writer.int(tokens)
            }
            writer.raw("}")
        }
        raw(",\"sections\":")
        list(context.sections) { writer, section in
            writer.raw("{\"header\":")
            writer.string(section.header)
            writer.raw(",\"headerTokens\":")
            writer.int(section.headerTokens)
            writer.raw(",\"items\":")
            writer.list(section.items) { writer, item in
                writer.raw("{\"fields\":")
                writer.value(item.fields)
                writer.raw(",\"id\":")
                writer.string(item.id)
                writer.raw(",\"text\":")
                writer.string(item.text)
                writer.raw(",\"tokens\":")
                writer.int(item.tokens)
                writer.raw("}")
            }
            writer.raw(",\"kind\":")
            writer.string(section.kind.rawValue)
            writer.raw("}")
        }
        raw(",\"text\":")
        string(context.text)
        raw(",\"totalTokens\":")
        int(context.totalTokens)
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): raw(flag ? "true" : "false")
        case .int(let number): bytes.append(contentsOf: String(number).utf8)
        case .double(let number): double(number)
        case .string(let text): string(text)
        case .array(let items): list(items) { writer, item in writer.value(item) }
        case .object(let fields):
            bytes.append(UInt8(ascii: "{"))
            // JSONEncoder's .sortedKeys order: by UTF-8 bytes.
            let keys = fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(key)
                bytes.append(UInt8(ascii: ":"))
                self.value(fields[key]!)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// `[a,b,...]`, each item written by `write`.
    mutating func list<Item>(_ items: [Item], _ write: (inout ContextJSONWriter, Item) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Foundation writes a double's shortest description without a trailing `.0`.
    mutating func double(_ number: Double) {
        let text = number.description
        guard number.isFinite, !text.contains("e") else {
            unusual = true
            return
        }
        bytes.append(contentsOf: text.hasSuffix(".0") ? text.utf8.dropLast(2) : text.utf8.dropLast(0))
    }

    mutating func int(_ number: Int) {
        bytes.append(contentsOf: String(number).utf8)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\b \f \n \r \t` or `\u00xx`, everything
    /// else (slashes and non-ASCII included) as it is.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Runs of bytes that need no escape (nearly all of a context) are copied whole.
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if index > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
                escape(byte)
                runStart = index + 1
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The escape of a quote, a backslash or a control character.
    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        case 0x08: raw("\\b")
        case 0x0C: raw("\\f")
        default:
            raw("\\u00")
            let digits: StaticString = "0123456789abcdef"
            digits.withUTF8Buffer { hex in
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
    }
}
