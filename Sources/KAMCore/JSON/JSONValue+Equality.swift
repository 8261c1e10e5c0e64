/// JSON Schema's notion of equality, which differs from `JSONValue`'s synthesized `==`.
///
/// `const`, `enum` and `uniqueItems` compare by meaning: `1` and `1.0` are the same number,
/// object member order never matters, and `true` is not the number `1`.
extension JSONValue {
    /// Whether two values are equal as JSON (numbers by numeric value).
    public func jsonEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        // By code points: Swift's `==` treats canonically equivalent strings (é and e + ◌́) as equal, JSON does not.
        case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
            return Double(a) == b && (b.magnitude < 9.2e18 ? Int64(b) == a : false)
        case (.array(let a), .array(let b)):
            guard a.count == b.count else { return false }
            for i in a.indices where !a[i].jsonEquals(b[i]) { return false }
            return true
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let other = b[key], value.jsonEquals(other) else { return false }
            }
            return true
        default: return false
        }
    }

    /// The JSON type name used in messages and by the `type` keyword.
    public var jsonTypeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double(let d): return d.rounded() == d ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The value at a JSON pointer (RFC 6901), or nil when the pointer leads nowhere.
    public func value(atPointer pointer: String) -> JSONValue? {
        if pointer.isEmpty { return self }
        guard pointer.hasPrefix("/") else { return nil }
        var current = self
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = String(raw).replacingTildeEscapes()
            switch current {
            case .object(let fields):
                guard let next = fields[token] else { return nil }
                current = next
            case .array(let elements):
                guard let i = Int(token), i >= 0, i < elements.count, String(i) == token else { return nil }
                current = elements[i]
            default:
                return nil
            }
        }
        return current
    }
}

extension String {
    /// Escapes a JSON pointer reference token (`~` → `~0`, `/` → `~1`).
    var jsonPointerEscaped: String {
        guard contains("~") || contains("/") else { return self }
        var out = ""
        for c in self {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(c)
            }
        }
        return out
    }

    /// Reverses `jsonPointerEscaped`.
    func replacingTildeEscapes() -> String {
        guard contains("~") else { return self }
        var out = ""
        var iterator = makeIterator()
        while let c = iterator.next() {
            if c == "~" {
                switch iterator.next() {
                case "0": out.append("~")
                case "1": out.append("/")
                case let other?: out.append("~"); out.append(other)
                case nil: out.append("~")
                }
            } else {
                out.append(c)
            }
        }
        return out
    }
}
