/// Compact JSON text of a value, for messages, logs and files.
///
/// Object members are written in sorted key order so the same value always gives the same text
/// (content hashes, snapshots, readable messages).
extension JSONValue {
    /// The value as compact JSON text with sorted keys.
    public var compactJSONText: String {
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The compact JSON text of an object given as its members (distinct keys), written in sorted key order.
    /// Sorts the array it is given in place (the caller's last use of it: no copy).
    static func compactObjectText(_ members: consuming [(key: String, value: JSONValue)]) -> String {
        members.sort { $0.key < $1.key }
        var out: [UInt8] = []
        // Room for most payloads at once (an event's keys and values are short), so that the buffer seldom grows.
        out.reserveCapacity(32 + 24 * members.count)
        writeSortedObject(members, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // Written as UTF-8 bytes, not appended to a String piece by piece: every record an import creates
    // appends an event whose payload is written here, and String's appends were most of that cost.

    private func write(to out: inout [UInt8]) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): JSONValue.writeInteger(i, to: &out)
        case .double(let d):
            if d.isFinite, d.rounded() == d, d.magnitude < 1e16 {
                out += (String(Int64(d)) + ".0").utf8
            } else if d.isFinite {
                out += "\(d)".utf8
            } else {
                out += "null".utf8
            }
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o): JSONValue.writeObject(Array(o), to: &out)
        }
    }

    /// Sorts the members themselves rather than the keys, so no key is hashed again to find its value.
    private static func writeObject(_ members: [(key: String, value: JSONValue)], to out: inout [UInt8]) {
        writeSortedObject(members.sorted(by: { $0.key < $1.key }), to: &out)
    }

    /// Writes `members`, already in key order, as an object.
    private static func writeSortedObject(_ members: [(key: String, value: JSONValue)], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, member) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writeString(member.key, to: &out)
            out.append(UInt8(ascii: ":"))
            member.value.write(to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Writes `value`'s decimal digits straight into `out`, as `String(value)` spells them, without making that string:
    /// an event's counts and ids are integers, and one is written for every record a write path stores.
    static func writeInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for Int64.min's 19 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: buffer[start...])
        }
    }

    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Nearly every key and value (ids, kinds, times) needs no escape: copied whole, not byte by byte.
        var s = s
        let plain = s.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain {
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += #"\""#.utf8
            case UInt8(ascii: "\\"): out += #"\\"#.utf8
            case UInt8(ascii: "\n"): out += #"\n"#.utf8
            case UInt8(ascii: "\r"): out += #"\r"#.utf8
            case UInt8(ascii: "\t"): out += #"\t"#.utf8
            case ..<0x20:
                let hex = String(byte, radix: 16)
                out += (#"\u"# + String(repeating: "0", count: 4 - hex.count) + hex).utf8
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
