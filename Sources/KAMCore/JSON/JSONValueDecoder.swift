import Foundation

/// Decodes `Decodable` types straight from a `JSONValue`, without serializing it back to text.
///
/// A model's answer is parsed once (by `JSONParser`), validated against its schema, and then
/// decoded here into its Swift type. Numbers convert the way `JSONDecoder` converts them:
/// `1.0` decodes as an `Int`, `1` as a `Double`, and a value that does not fit is an error.
public struct JSONValueDecoder: Sendable {
    /// How JSON member names map to Swift property names.
    public enum KeyDecodingStrategy: Sendable {
        /// Names are used as they are.
        case useDefaultKeys
        /// `call_to_action` in JSON fills `callToAction` in Swift.
        case convertFromSnakeCase
    }

    /// How `Date` values are read.
    public enum DateDecodingStrategy: Sendable {
        /// `Date`'s own `Decodable` conformance (a number of seconds since 2001).
        case deferredToDate
        /// A function of the value's decoder, as `JSONDecoder`'s `.custom`.
        case custom(@Sendable (any Decoder) throws -> Date)
    }

    public var keyDecodingStrategy: KeyDecodingStrategy
    public var dateDecodingStrategy: DateDecodingStrategy
    /// Made available to `Decodable` implementations as `decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    public init(
        keyDecodingStrategy: KeyDecodingStrategy = .useDefaultKeys, dateDecodingStrategy: DateDecodingStrategy = .deferredToDate,
        userInfo: [CodingUserInfoKey: any Sendable] = [:]
    ) {
        self.keyDecodingStrategy = keyDecodingStrategy
        self.dateDecodingStrategy = dateDecodingStrategy
        self.userInfo = userInfo
    }

    /// Decodes a `T` from `value`.
    ///
    /// - Throws: `DecodingError` with the coding path of the value that did not fit.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        let decoder = ValueDecoder(value: value, codingPath: [], options: self)
        return try T(from: decoder)
    }

    /// `callToAction` → `call_to_action` (ASCII capitals become `_` and a lower-case letter).
    static func snakeCase(fromCamelCase key: String) -> String {
        let capitals = key.utf8.reduce(0) { $0 + ($1 >= UInt8(ascii: "A") && $1 <= UInt8(ascii: "Z") ? 1 : 0) }
        guard capitals > 0 else { return key }
        // Built in place: short results stay in the string's inline storage, with no allocation.
        return String(unsafeUninitializedCapacity: key.utf8.count + capitals) { buffer in
            var i = 0
            for b in key.utf8 {
                if b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") {
                    if i > 0 {
                        buffer[i] = UInt8(ascii: "_")
                        i += 1
                    }
                    buffer[i] = b + 32
                } else {
                    buffer[i] = b
                }
                i += 1
            }
            return i
        }
    }

    /// `call_to_action` → `callToAction`, with `JSONDecoder`'s rules (leading/trailing underscores kept).
    static func camelCase(fromSnakeCase key: String) -> String {
        guard key.contains("_") else { return key }
        let scalars = Array(key)
        guard let first = scalars.firstIndex(where: { $0 != "_" }) else { return key }
        var last = scalars.count - 1
        while last > first && scalars[last] == "_" { last -= 1 }
        let core = String(scalars[first...last])
        let parts = core.split(separator: "_", omittingEmptySubsequences: true)
        guard parts.count > 1 else {
            return String(scalars[..<first]) + core + String(scalars[(last + 1)...])
        }
        var out = String(scalars[..<first]) + parts[0].lowercased()
        for part in parts.dropFirst() { out += part.prefix(1).uppercased() + part.dropFirst().lowercased() }
        return out + String(scalars[(last + 1)...])
    }
}

/// A key made at run time: a position in an array, a `super` decoder's, or a member name computed from another
/// (the API's snake_case keys, KAMServer's `SnakeCaseKey`).
public struct IndexKey: CodingKey {
    public var stringValue: String
    public var intValue: Int?
    public init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }
    public init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

private struct ValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let options: JSONValueDecoder
    var userInfo: [CodingUserInfoKey: Any] { options.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let fields) = value else {
            throw DecodingError.typeMismatch(
                [String: JSONValue].self,
                .init(codingPath: codingPath, debugDescription: "expected an object but found \(value.jsonTypeName)"))
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(fields: fields, codingPath: codingPath, options: options))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw DecodingError.typeMismatch(
                [JSONValue].self, .init(codingPath: codingPath, debugDescription: "expected an array but found \(value.jsonTypeName)"))
        }
        return UnkeyedContainer(elements: elements, codingPath: codingPath, options: options)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleContainer(value: value, codingPath: codingPath, options: options)
    }
}

extension ValueDecoder: MemberNameListing {
    func firstMemberName(where predicate: (String) -> Bool) -> String? {
        guard case .object(let fields) = value else { return nil }
        let snakeCase: Bool
        if case .convertFromSnakeCase = options.keyDecodingStrategy { snakeCase = true } else { snakeCase = false }
        for name in fields.keys {
            let spelled = snakeCase ? JSONValueDecoder.camelCase(fromSnakeCase: name) : name
            if predicate(spelled) { return spelled }
        }
        return nil
    }
}

/// Conversions from JSON values to Swift values, shared by `JSONValueDecoder` and `JSONTapeDecoder` (same rules, same errors).
enum ValueConversion {
    static func mismatch<T>(_ type: T.Type, _ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) -> DecodingError {
        if case .null = value {
            return .valueNotFound(type, .init(codingPath: path(), debugDescription: "expected \(type) but found null"))
        }
        return .typeMismatch(type, .init(codingPath: path(), debugDescription: "expected \(expected(type)) but found \(value.jsonTypeName) \(value.compactJSONText.prefix(60))"))
    }

    /// `Int` → "an integer": the JSON words for what was expected.
    static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Double.Type, is Float.Type: "a number"
        case is any FixedWidthInteger.Type: "an integer"
        default: "\(type)"
        }
    }

    static func bool(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Bool {
        guard case .bool(let b) = value else { throw mismatch(Bool.self, value, path()) }
        return b
    }

    static func string(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> String {
        guard case .string(let s) = value else { throw mismatch(String.self, value, path()) }
        return s
    }

    static func double(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Double {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: throw mismatch(Double.self, value, path())
        }
    }

    static func integer<T: FixedWidthInteger>(_ type: T.Type, _ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> T {
        switch value {
        case .int(let i):
            if let v = T(exactly: i) { return v }
        case .double(let d):
            if let v = T(exactly: d) { return v }
            // 1.5 for an integer is the wrong kind of number, not a number out of range.
            if d.rounded(.towardZero) != d {
                throw DecodingError.typeMismatch(
                    type, .init(codingPath: path(), debugDescription: "expected an integer but found the number \(value.compactJSONText)"))
            }
        default:
            throw mismatch(type, value, path())
        }
        throw DecodingError.dataCorrupted(.init(codingPath: path(), debugDescription: "the number \(value.compactJSONText) does not fit in \(T.self)"))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue, _ path: @autoclosure () -> [any CodingKey], _ options: JSONValueDecoder) throws -> T {
        // Common leaf types skip building a nested decoder.
        if T.self == String.self { return try string(value, path()) as! T }
        if T.self == Int.self { return try integer(Int.self, value, path()) as! T }
        if T.self == Double.self { return try double(value, path()) as! T }
        if T.self == Bool.self { return try bool(value, path()) as! T }
        if T.self == JSONValue.self { return value as! T }
        if T.self == Date.self, case .custom(let date) = options.dateDecodingStrategy {
            return try date(ValueDecoder(value: value, codingPath: path(), options: options)) as! T
        }
        return try T(from: ValueDecoder(value: value, codingPath: path(), options: options))
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let fields: [String: JSONValue]
    let codingPath: [any CodingKey]
    let options: JSONValueDecoder

    var snakeCase: Bool {
        if case .convertFromSnakeCase = options.keyDecodingStrategy { return true }
        return false
    }

    var allKeys: [Key] {
        fields.keys.compactMap { Key(stringValue: snakeCase ? JSONValueDecoder.camelCase(fromSnakeCase: $0) : $0) }
    }

    /// The member for `key`. With `.convertFromSnakeCase` the Swift name is turned into snake case
    /// for the lookup (cheaper than converting every member name of every object).
    @inline(__always)
    func member(_ key: Key) -> JSONValue? {
        if let value = fields[key.stringValue] { return value }
        guard snakeCase else { return nil }
        let snake = JSONValueDecoder.snakeCase(fromCamelCase: key.stringValue)
        return snake == key.stringValue ? nil : fields[snake]
    }

    func contains(_ key: Key) -> Bool { member(key) != nil }

    func value(_ key: Key) throws -> JSONValue {
        guard let value = member(key) else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "no member named \"\(key.stringValue)\""))
        }
        return value
    }

    func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try value(key) { return true }
        return false
    }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try ValueConversion.bool(value(key), path(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try ValueConversion.string(value(key), path(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try ValueConversion.double(value(key), path(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try ValueConversion.double(value(key), path(key))) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try ValueConversion.integer(type, value(key), path(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try ValueConversion.integer(type, value(key), path(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try ValueConversion.integer(type, value(key), path(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try ValueConversion.integer(type, value(key), path(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try ValueConversion.integer(type, value(key), path(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try ValueConversion.integer(type, value(key), path(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try ValueConversion.integer(type, value(key), path(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try ValueConversion.integer(type, value(key), path(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try ValueConversion.integer(type, value(key), path(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try ValueConversion.integer(type, value(key), path(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try ValueConversion.decode(type, value(key), path(key), options)
    }

    // Missing or null members decode as nil, like JSONDecoder.
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let v = member(key), v != .null else { return nil }
        return try ValueConversion.string(v, path(key))
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let v = member(key), v != .null else { return nil }
        return try ValueConversion.integer(type, v, path(key))
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let v = member(key), v != .null else { return nil }
        return try ValueConversion.double(v, path(key))
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let v = member(key), v != .null else { return nil }
        return try ValueConversion.bool(v, path(key))
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let v = member(key), v != .null else { return nil }
        return try ValueConversion.decode(type, v, path(key), options)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try ValueDecoder(value: value(key), codingPath: path(key), options: options).container(keyedBy: type)
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: value(key), codingPath: path(key), options: options).unkeyedContainer()
    }
    func superDecoder() throws -> any Decoder {
        ValueDecoder(value: fields["super"] ?? .null, codingPath: codingPath + [IndexKey(stringValue: "super")], options: options)
    }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: member(key) ?? .null, codingPath: path(key), options: options)
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let options: JSONValueDecoder
    var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey], options: JSONValueDecoder) {
        self.elements = elements
        self.codingPath = codingPath
        self.options = options
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func next<T>(_ type: T.Type) throws -> (JSONValue, [any CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: codingPath + [IndexKey(intValue: currentIndex)], debugDescription: "the array has only \(elements.count) elements"))
        }
        let value = elements[currentIndex]
        let path = codingPath + [IndexKey(intValue: currentIndex)]
        currentIndex += 1
        return (value, path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if case .null = elements[currentIndex] {
            currentIndex += 1
            return true
        }
        return false
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool { let (v, p) = try next(type); return try ValueConversion.bool(v, p) }
    mutating func decode(_ type: String.Type) throws -> String { let (v, p) = try next(type); return try ValueConversion.string(v, p) }
    mutating func decode(_ type: Double.Type) throws -> Double { let (v, p) = try next(type); return try ValueConversion.double(v, p) }
    mutating func decode(_ type: Float.Type) throws -> Float { let (v, p) = try next(type); return Float(try ValueConversion.double(v, p)) }
    mutating func decode(_ type: Int.Type) throws -> Int { let (v, p) = try next(type); return try ValueConversion.integer(type, v, p) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { let (v, p) = try next(type); return try ValueConversion.integer(type, v, p) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { let (v, p) = try next(type); return try ValueConversion.integer(type, v, p) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { let (v, p) = try next(type); return try ValueConversion.integer(type, v, p) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { let (v, p) = try next(type); return try ValueConversion.integer(type, v, p) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { let (v, p) = try next(type); return try ValueConversion.integer(type, v, p) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { let (v, p) = try next(type); return try ValueConversion.integer(type, v, p) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { let (v, p) = try next(type); return try ValueConversion.integer(type, v, p) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { let (v, p) = try next(type); return try ValueConversion.integer(type, v, p) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { let (v, p) = try next(type); return try ValueConversion.integer(type, v, p) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (v, p) = try next(type)
        return try ValueConversion.decode(type, v, p, options)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (v, p) = try next([String: JSONValue].self)
        return try ValueDecoder(value: v, codingPath: p, options: options).container(keyedBy: type)
    }
    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (v, p) = try next([JSONValue].self)
        return try ValueDecoder(value: v, codingPath: p, options: options).unkeyedContainer()
    }
    mutating func superDecoder() throws -> any Decoder {
        let (v, p) = try next(JSONValue.self)
        return ValueDecoder(value: v, codingPath: p, options: options)
    }
}

private struct SingleContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let options: JSONValueDecoder

    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try ValueConversion.bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try ValueConversion.string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try ValueConversion.double(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try ValueConversion.double(value, codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try ValueConversion.integer(type, value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try ValueConversion.integer(type, value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try ValueConversion.integer(type, value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try ValueConversion.integer(type, value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try ValueConversion.integer(type, value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try ValueConversion.integer(type, value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try ValueConversion.integer(type, value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try ValueConversion.integer(type, value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try ValueConversion.integer(type, value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try ValueConversion.integer(type, value, codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try ValueConversion.decode(type, value, codingPath, options) }
}
