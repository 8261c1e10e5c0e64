import Foundation

extension JSONValue {
    /// The value as `JSONSerialization` would give it (`NSNull`, `Bool`, `Int64`, `Double`,
    /// `String`, `[Any]`, `[String: Any]`), for code written against Foundation's objects that
    /// should still parse with `JSONParser` (line and column in errors, duplicate keys refused).
    public var foundationValue: Any {
        switch self {
        case .null: NSNull()
        case .bool(let b): b
        case .int(let i): i
        case .double(let d): d
        case .string(let s): s
        case .array(let a): a.map(\.foundationValue)
        case .object(let o): o.mapValues(\.foundationValue)
        }
    }
}
