/// Bounds added to an output schema sent to a grammar-constrained server (llama.cpp and other openai-compatible
/// servers with `json_schema`): a `maxLength` on each string and a `maxItems` on each array the author left
/// unbounded, so a small model cannot write one field or list until the output limit.
///
/// Only added, never loosened: a bound the schema has is kept as it is, and strings limited by `enum`, `const` or
/// `format` get none. The answer is still validated against the prompt's own schema.
public struct SchemaBounds: Sendable, Hashable, Codable {
    public var maxLength: Int
    public var maxItems: Int

    public init(maxLength: Int = 1000, maxItems: Int = 20) {
        self.maxLength = maxLength
        self.maxItems = maxItems
    }

    /// The schema with the missing bounds added, at every level (properties, items, `$defs`, `anyOf`...).
    public func apply(to schema: JSONValue) -> JSONValue {
        guard case .object(var node) = schema else { return schema }
        let types: [String] =
            switch node["type"] {
            case .string(let type)?: [type]
            case .array(let list)?: list.compactMap(\.stringValue)
            default: []
            }
        if types.contains("string"), node["maxLength"] == nil, node["enum"] == nil, node["const"] == nil,
            node["format"] == nil
        {
            node["maxLength"] = .int(Int64(maxLength))
        }
        if types.contains("array"), node["maxItems"] == nil {
            node["maxItems"] = .int(Int64(maxItems))
        }
        for key in ["properties", "$defs", "definitions", "patternProperties"] {
            if case .object(let members)? = node[key] { node[key] = .object(members.mapValues { apply(to: $0) }) }
        }
        for key in ["items", "additionalProperties", "not", "if", "then", "else", "contains"] {
            if let child = node[key] {
                if case .array(let list) = child { node[key] = .array(list.map { apply(to: $0) }) } else { node[key] = apply(to: child) }
            }
        }
        for key in ["anyOf", "oneOf", "allOf", "prefixItems"] {
            if case .array(let list)? = node[key] { node[key] = .array(list.map { apply(to: $0) }) }
        }
        return .object(node)
    }
}
