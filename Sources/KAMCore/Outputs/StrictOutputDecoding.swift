/// Decoding that rejects fields the type does not declare, so a model answer with an extra or
/// misspelled field fails validation (and goes to repair) instead of being silently accepted.
extension Decoder {
    /// A keyed container that first checks every key of the object is one of `K.allCases`.
    ///
    /// - Throws: `DecodingError.dataCorrupted` naming the unexpected field and the path to it.
    public func strictContainer<K: CodingKey & CaseIterable>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
        // `K(stringValue:)` is nil exactly for a name no case has. KAM's own decoders name the members
        // directly: `allKeys` costs a generic array cast a call, more than the rest of the decode.
        if let listing = self as? any MemberNameListing {
            if let name = listing.firstMemberName(where: { K(stringValue: $0) == nil }) {
                throw unexpectedField(OutputFieldKey(stringValue: name), allowed: K.self)
            }
            return try container(keyedBy: K.self)
        }
        let everything = try container(keyedBy: OutputFieldKey.self)
        for key in everything.allKeys where K(stringValue: key.stringValue) == nil {
            throw unexpectedField(key, allowed: K.self)
        }
        return try container(keyedBy: K.self)
    }

    private func unexpectedField<K: CodingKey & CaseIterable>(_ key: OutputFieldKey, allowed: K.Type) -> DecodingError {
        let allowed = Set(K.allCases.map(\.stringValue))
        let path = (codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
        return DecodingError.dataCorrupted(
            DecodingError.Context(
                codingPath: codingPath + [key],
                debugDescription: "unexpected field `\(path)`; allowed fields: \(allowed.sorted().joined(separator: ", "))"))
    }
}

/// A decoder of KAM's own (`JSONValueDecoder`'s, `JSONTapeDecoder`'s) that names an object's members
/// for `strictContainer` without building `allKeys`.
protocol MemberNameListing {
    /// The first member name, spelled as `allKeys` would give it, for which `predicate` holds; nil
    /// when there is none or the value is not an object.
    func firstMemberName(where predicate: (String) -> Bool) -> String?
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
