/// One step of a path into a JSON document: a member name or an array index.
///
/// `[.key("clients"), .index(3), .key("deals")]` is the path written `clients[3].deals`.
public enum JSONPathComponent: Sendable, Hashable, CustomStringConvertible {
    case key(String)
    case index(Int)

    public var description: String {
        switch self {
        case .key(let key): key
        case .index(let index): "[\(index)]"
        }
    }
}

extension [JSONPathComponent] {
    /// `clients[3].deals[0].stage`; the empty path is `(document)`.
    public var dottedPath: String {
        var text = ""
        for component in self {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text.isEmpty ? "(document)" : text
    }
}

/// Where something is in a JSON text: 1-based line and column (in Unicode code points) and the
/// 0-based byte offset.
public struct JSONSourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int

    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }

    public var description: String { "line \(line), column \(column)" }
}

extension JSONValue {
    /// The value at `path`, or nil when there is none.
    public func value(at path: [JSONPathComponent]) -> JSONValue? {
        var current = self
        for component in path {
            switch (component, current) {
            case (.key(let key), .object(let fields)):
                guard let next = fields[key] else { return nil }
                current = next
            case (.index(let index), .array(let elements)):
                guard elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }
}
