/// A type the validation fast path builds straight from the tape, without `Decoder`: Codable's
/// containers are generic at run time (a metadata lookup and a boxed container each) and cost
/// more than reading and checking the whole answer. `init(tape:)` reads the same members, as
/// strictly, as the type's `init(from:)`; `SchemaShapeAgreementTests` checks both give the same value.
protocol TapeDecodable {
    init(tape: TapeValue) throws
}

/// A value on the tape, as a `TapeDecodable` initializer reads it. Any mismatch throws, and the
/// answer then goes to the general path, which words the issue.
struct TapeValue {
    let document: TapeDocument
    let index: Int

    /// The value as an object whose members are all among `keys` (what `strictContainer` checks).
    func object<K: CodingKey & CaseIterable>(keyedBy keys: K.Type) throws -> TapeObject<K> {
        let entries = document.tape.entries
        guard entries[index].kind == .object else { throw Mismatch() }
        var key = index + 1
        while key < Int(entries[index].next) {
            if K(stringValue: document.tape.string(at: key, in: document.bytes)) == nil { throw Mismatch() }
            key = Int(entries[key + 1].next)
        }
        return TapeObject(document: document, index: index)
    }

    struct Mismatch: Error {}
}

/// An object on the tape, read member by member.
struct TapeObject<K: CodingKey> {
    let document: TapeDocument
    let index: Int

    func member(_ key: K) throws -> Int {
        guard let member = document.member(index, key.stringValue) else { throw TapeValue.Mismatch() }
        return member
    }

    func string(_ key: K) throws -> String {
        try document.string(member(key))
    }

    /// A string-backed enum (`DraftTone`), as its `Decodable` conformance reads it.
    func decode<T: RawRepresentable>(_ type: T.Type, _ key: K) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: try string(key)) else { throw TapeValue.Mismatch() }
        return value
    }

    func array<T: TapeDecodable>(of type: T.Type, _ key: K) throws -> [T] {
        let array = try member(key)
        let entry = document.tape.entries[array]
        guard entry.kind == .array else { throw TapeValue.Mismatch() }
        var elements: [T] = []
        elements.reserveCapacity(Int(entry.count))
        var i = array + 1
        while i < Int(entry.next) {
            elements.append(try T(tape: TapeValue(document: document, index: i)))
            i = Int(document.tape.entries[i].next)
        }
        return elements
    }
}
