import Foundation

/// Decodes `Decodable` types straight from a `JSONTape` and the text it was read from, as
/// `JSONValueDecoder` does from a `JSONValue` (same key and date strategies, same number
/// conversions, same errors), with no tree in between: a string becomes a `String` only when a
/// type decodes it, and a member is found by comparing its key's bytes.
///
/// Used by the validation fast path (`SchemaShape.decode`), inside the text's `withUTF8`. A type
/// that is `TapeDecodable` is built by its `init(tape:)` instead, without `Decoder` at all.
enum JSONTapeDecoder {
    static func decode<T: Decodable>(
        _ type: T.Type, tape: JSONTape, bytes: UnsafeBufferPointer<UInt8>, options: JSONValueDecoder
    ) throws -> T {
        let document = TapeDocument(tape: tape, bytes: bytes, options: options)
        if let direct = T.self as? any TapeDecodable.Type,
            let value = try direct.init(tape: TapeValue(document: document, index: 0)) as? T
        {
            return value
        }
        return try document.decode(type, at: 0)
    }
}

/// The tape, its text and the options, shared by every decoder and container of one decode.
final class TapeDocument {
    let tape: JSONTape
    let bytes: UnsafeBufferPointer<UInt8>
    let options: JSONValueDecoder
    let snakeCase: Bool

    init(tape: JSONTape, bytes: UnsafeBufferPointer<UInt8>, options: JSONValueDecoder) {
        self.tape = tape
        self.bytes = bytes
        self.options = options
        if case .convertFromSnakeCase = options.keyDecodingStrategy { snakeCase = true } else { snakeCase = false }
    }

    @inline(__always)
    func kind(_ index: Int) -> JSONTape.Kind { tape.entries[index].kind }

    /// The value at `index` as a `JSONValue`, for the conversions and their messages.
    func value(_ index: Int) -> JSONValue { tape.value(at: index, in: bytes) }

    func path(_ index: Int) -> [any CodingKey] { tape.codingPath(of: index, in: bytes) }

    func string(_ index: Int) throws -> String {
        guard kind(index) == .string else { return try ValueConversion.string(value(index), path(index)) }
        return tape.string(at: index, in: bytes)
    }

    func bool(_ index: Int) throws -> Bool {
        let entry = tape.entries[index]
        guard entry.kind == .bool else { return try ValueConversion.bool(value(index), path(index)) }
        return entry.flag
    }

    func double(_ index: Int) throws -> Double { try ValueConversion.double(value(index), path(index)) }

    func integer<T: FixedWidthInteger>(_ type: T.Type, _ index: Int) throws -> T {
        try ValueConversion.integer(type, value(index), path(index))
    }

    func isNull(_ index: Int) -> Bool { kind(index) == .null }

    func decode<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
        // Common leaf types skip building a nested decoder.
        if T.self == String.self { return try string(index) as! T }
        if T.self == Int.self { return try integer(Int.self, index) as! T }
        if T.self == Double.self { return try double(index) as! T }
        if T.self == Bool.self { return try bool(index) as! T }
        if T.self == JSONValue.self { return value(index) as! T }
        if T.self == Date.self, case .custom(let date) = options.dateDecodingStrategy {
            return try date(TapeDecoder(document: self, index: index)) as! T
        }
        return try T(from: TapeDecoder(document: self, index: index))
    }

    /// The value entry of the member of object `object` named `name`: compared byte for byte first,
    /// then (escaped keys, other normalizations) as Swift compares strings, which is what the
    /// `[String: JSONValue]` of the general path does.
    func member(_ object: Int, _ name: String) -> Int? {
        let end = Int(tape.entries[object].next)
        var name = name
        let exact: Int? = name.withUTF8 { wanted in
            var i = object + 1
            while i < end {
                let key = tape.entries[i]
                if !key.flag, Int(key.end - key.start) - 1 == wanted.count,
                    UnsafeBufferPointer(rebasing: bytes[Int(key.start) + 1..<Int(key.end)]).elementsEqual(wanted)
                {
                    return i + 1
                }
                i = Int(tape.entries[i + 1].next)
            }
            return nil
        }
        if let exact { return exact }
        var i = object + 1
        while i < end {
            if tape.string(at: i, in: bytes) == name { return i + 1 }
            i = Int(tape.entries[i + 1].next)
        }
        return nil
    }

    /// The key entries of object `object`, in document order.
    func keys(_ object: Int) -> [Int] {
        var keys: [Int] = []
        let end = Int(tape.entries[object].next)
        var i = object + 1
        while i < end {
            keys.append(i)
            i = Int(tape.entries[i + 1].next)
        }
        return keys
    }
}

private struct TapeDecoder: Decoder {
    let document: TapeDocument
    let index: Int
    var codingPath: [any CodingKey] { document.path(index) }
    var userInfo: [CodingUserInfoKey: Any] { document.options.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard document.kind(index) == .object else {
            throw DecodingError.typeMismatch(
                [String: JSONValue].self,
                .init(codingPath: codingPath, debugDescription: "expected an object but found \(document.value(index).jsonTypeName)"))
        }
        return KeyedDecodingContainer(TapeKeyedContainer<Key>(document: document, object: index))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard document.kind(index) == .array else {
            throw DecodingError.typeMismatch(
                [JSONValue].self,
                .init(codingPath: codingPath, debugDescription: "expected an array but found \(document.value(index).jsonTypeName)"))
        }
        return TapeUnkeyedContainer(document: document, array: index)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        TapeSingleContainer(document: document, index: index)
    }
}

extension TapeDecoder: MemberNameListing {
    func firstMemberName(where predicate: (String) -> Bool) -> String? {
        guard document.kind(index) == .object else { return nil }
        for key in document.keys(index) {
            let name = document.tape.string(at: key, in: document.bytes)
            let spelled = document.snakeCase ? JSONValueDecoder.camelCase(fromSnakeCase: name) : name
            if predicate(spelled) { return spelled }
        }
        return nil
    }
}

private struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let document: TapeDocument
    let object: Int
    var codingPath: [any CodingKey] { document.path(object) }

    var allKeys: [Key] {
        document.keys(object).compactMap { i in
            let name = document.tape.string(at: i, in: document.bytes)
            return Key(stringValue: document.snakeCase ? JSONValueDecoder.camelCase(fromSnakeCase: name) : name)
        }
    }

    /// The member for `key`; with `.convertFromSnakeCase` the Swift name is looked up in snake case too.
    func member(_ key: Key) -> Int? {
        let name = key.stringValue
        if let found = document.member(object, name) { return found }
        guard document.snakeCase else { return nil }
        let snake = JSONValueDecoder.snakeCase(fromCamelCase: name)
        return snake == name ? nil : document.member(object, snake)
    }

    func value(_ key: Key) throws -> Int {
        guard let found = member(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no member named \"\(key.stringValue)\""))
        }
        return found
    }

    func contains(_ key: Key) -> Bool { member(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { document.isNull(try value(key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try document.bool(value(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try document.string(value(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try document.double(value(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try document.double(value(key))) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try document.integer(type, value(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try document.integer(type, value(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try document.integer(type, value(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try document.integer(type, value(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try document.integer(type, value(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try document.integer(type, value(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try document.integer(type, value(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try document.integer(type, value(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try document.integer(type, value(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try document.integer(type, value(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try document.decode(type, at: value(key)) }

    // Missing or null members decode as nil, like JSONDecoder.
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let i = member(key), !document.isNull(i) else { return nil }
        return try document.string(i)
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let i = member(key), !document.isNull(i) else { return nil }
        return try document.integer(type, i)
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let i = member(key), !document.isNull(i) else { return nil }
        return try document.double(i)
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let i = member(key), !document.isNull(i) else { return nil }
        return try document.bool(i)
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let i = member(key), !document.isNull(i) else { return nil }
        return try document.decode(type, at: i)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try TapeDecoder(document: document, index: value(key)).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TapeDecoder(document: document, index: value(key)).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder {
        // `JSONValueDecoder` decodes a missing "super" as null; so does the general path this falls back to.
        guard let i = document.member(object, "super") else { throw FallBack() }
        return TapeDecoder(document: document, index: i)
    }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        guard let i = member(key) else { throw FallBack() }
        return TapeDecoder(document: document, index: i)
    }

    /// A case this decoder leaves to `JSONValueDecoder` (a decoder over a `null` the tape does not hold).
    struct FallBack: Error {}
}

private struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let document: TapeDocument
    let array: Int
    let count: Int?
    /// The entry of the next element.
    var position: Int
    var currentIndex = 0

    init(document: TapeDocument, array: Int) {
        self.document = document
        self.array = array
        count = Int(document.tape.entries[array].count)
        position = array + 1
    }

    var codingPath: [any CodingKey] { document.path(array) }
    var isAtEnd: Bool { currentIndex >= count! }

    mutating func next<T>(_ type: T.Type) throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                .init(codingPath: codingPath + [IndexKey(intValue: currentIndex)], debugDescription: "the array has only \(count!) elements"))
        }
        let element = position
        position = Int(document.tape.entries[element].next)
        currentIndex += 1
        return element
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, document.isNull(position) else { return false }
        _ = try next(JSONValue.self)
        return true
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try document.bool(next(type)) }
    mutating func decode(_ type: String.Type) throws -> String { try document.string(next(type)) }
    mutating func decode(_ type: Double.Type) throws -> Double { try document.double(next(type)) }
    mutating func decode(_ type: Float.Type) throws -> Float { Float(try document.double(next(type))) }
    mutating func decode(_ type: Int.Type) throws -> Int { try document.integer(type, next(type)) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try document.integer(type, next(type)) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try document.integer(type, next(type)) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try document.integer(type, next(type)) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try document.integer(type, next(type)) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try document.integer(type, next(type)) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try document.integer(type, next(type)) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try document.integer(type, next(type)) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try document.integer(type, next(type)) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try document.integer(type, next(type)) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try document.decode(type, at: next(type)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try TapeDecoder(document: document, index: next([String: JSONValue].self)).container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try TapeDecoder(document: document, index: next([JSONValue].self)).unkeyedContainer()
    }
    mutating func superDecoder() throws -> any Decoder {
        TapeDecoder(document: document, index: try next(JSONValue.self))
    }
}

private struct TapeSingleContainer: SingleValueDecodingContainer {
    let document: TapeDocument
    let index: Int
    var codingPath: [any CodingKey] { document.path(index) }

    func decodeNil() -> Bool { document.isNull(index) }
    func decode(_ type: Bool.Type) throws -> Bool { try document.bool(index) }
    func decode(_ type: String.Type) throws -> String { try document.string(index) }
    func decode(_ type: Double.Type) throws -> Double { try document.double(index) }
    func decode(_ type: Float.Type) throws -> Float { Float(try document.double(index)) }
    func decode(_ type: Int.Type) throws -> Int { try document.integer(type, index) }
    func decode(_ type: Int8.Type) throws -> Int8 { try document.integer(type, index) }
    func decode(_ type: Int16.Type) throws -> Int16 { try document.integer(type, index) }
    func decode(_ type: Int32.Type) throws -> Int32 { try document.integer(type, index) }
    func decode(_ type: Int64.Type) throws -> Int64 { try document.integer(type, index) }
    func decode(_ type: UInt.Type) throws -> UInt { try document.integer(type, index) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try document.integer(type, index) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try document.integer(type, index) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try document.integer(type, index) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try document.integer(type, index) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try document.decode(type, at: index) }
}
