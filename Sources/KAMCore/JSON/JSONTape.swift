/// A JSON document as one flat array of entries over its UTF-8 text: what the validation fast
/// path (`SchemaShape`) writes while it checks an answer, and what `JSONTapeDecoder` decodes.
///
/// Unlike `JSONValue` it allocates nothing per value: a string is a byte range of the text
/// (made into a `String` only when a decoder asks for it), a container is an entry followed by
/// its members' entries, and every entry knows where its subtree ends (`next`) and its parent.
/// An object's members are a key entry followed by the value's entries, in document order.
struct JSONTape {
    enum Kind: UInt8 {
        case null, bool, int, double, string, array, object
    }

    struct Entry {
        var kind: Kind
        /// A string with escape sequences (decoded by `JSONByteReader.parseString`); a `true` boolean.
        var flag: Bool
        /// A string's opening quote, a container's opening bracket.
        var start: Int32
        /// A string's closing quote.
        var end: Int32
        /// The entry after this value and everything inside it.
        var next: Int32
        /// The container this value is in (-1 for the document).
        var parent: Int32
        /// Members of an object, elements of an array.
        var count: Int32
        /// An `int`'s value or a `double`'s bit pattern.
        var bits: UInt64
    }

    var entries: [Entry] = []

    init(capacity: Int) {
        entries.reserveCapacity(capacity)
    }

    /// Appends a value's entry and returns its index; `next` is set to the entry after it.
    @inline(__always)
    mutating func append(_ kind: Kind, parent: Int, start: Int = 0, end: Int = 0, flag: Bool = false, bits: UInt64 = 0) -> Int {
        let index = entries.count
        entries.append(
            Entry(
                kind: kind, flag: flag, start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end),
                next: Int32(truncatingIfNeeded: index + 1), parent: Int32(truncatingIfNeeded: parent), count: 0, bits: bits))
        return index
    }

    /// Closes a container: its member count, and its `next` after everything appended since.
    @inline(__always)
    mutating func close(_ index: Int, count: Int) {
        entries[index].count = Int32(truncatingIfNeeded: count)
        entries[index].next = Int32(truncatingIfNeeded: entries.count)
    }

    /// The scalar at `index` as a `JSONValue` (strings decoded from `bytes`); containers are built whole.
    func value(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> JSONValue {
        let entry = entries[index]
        switch entry.kind {
        case .null: return .null
        case .bool: return .bool(entry.flag)
        case .int: return .int(Int64(bitPattern: entry.bits))
        case .double: return .double(Double(bitPattern: entry.bits))
        case .string: return .string(string(at: index, in: bytes))
        case .array:
            var elements: [JSONValue] = []
            elements.reserveCapacity(Int(entry.count))
            var i = index + 1
            while i < Int(entry.next) {
                elements.append(value(at: i, in: bytes))
                i = Int(entries[i].next)
            }
            return .array(elements)
        case .object:
            var fields: [String: JSONValue] = [:]
            fields.reserveCapacity(Int(entry.count))
            var i = index + 1
            while i < Int(entry.next) {
                fields[string(at: i, in: bytes)] = value(at: i + 1, in: bytes)
                i = Int(entries[i + 1].next)
            }
            return .object(fields)
        }
    }

    /// The string (or key) at `index`, with its escapes decoded.
    func string(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        let entry = entries[index]
        if !entry.flag {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(entry.start) + 1..<Int(entry.end)]), as: UTF8.self)
        }
        var reader = JSONByteReader(bytes: bytes, maxDepth: 0)
        reader.index = Int(entry.start)
        // The fast path read this string already, so it is well formed.
        return (try? reader.parseString()) ?? ""
    }

    /// The coding path of the value at `index`: object keys and array positions from the document down.
    func codingPath(of index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> [any CodingKey] {
        var path: [any CodingKey] = []
        var i = index
        while entries[i].parent >= 0 {
            let parent = Int(entries[i].parent)
            if entries[parent].kind == .object {
                path.append(IndexKey(stringValue: string(at: i - 1, in: bytes)))
            } else {
                var position = 0
                var j = parent + 1
                while j != i {
                    j = Int(entries[j].next)
                    position += 1
                }
                path.append(IndexKey(intValue: position))
            }
            i = parent
        }
        return path.reversed()
    }
}
