/// Decoding that rejects fields the type does not declare, so a model answer with an extra or
/// misspelled field fails validation (and goes to repair) instead of being silently accepted.
extension Decoder {
    /// A keyed container that first checks every key of the object is one of `K.allCases`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` naming the unexpected field and the path to it.
    public func strictContainer<K: CodingKey & CaseIterable>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
        let everything = try container(keyedBy: OutputFieldKey.self)
        let allowed = Set(K.allCases.map(\.stringValue))
        for key in everything.allKeys where !allowed.contains(key.stringValue) {
            let path = (codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: codingPath + [key],
                    debugDescription: "unexpected field `\(path)`; allowed fields: \(allowed.sorted().joined(separator: ", "))"))
        }
        return try container(keyedBy: K.self)
    }
}

/// Any string key, for listing the fields of an object.
struct OutputFieldKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
