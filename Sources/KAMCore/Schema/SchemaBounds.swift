/// Bounds added to an output schema sent to a grammar-constrained server (llama.cpp and other openai-compatible
/// servers with `json_schema`): a `maxLength` on each string and a `maxItems` on each array the author left
/// unbounded, so a small model cannot write one field or list until the output limit.
///
/// Only added, never loosened: a bound the schema has is kept as it is, and strings limited by `enum`, `const` or
/// `format` get none. The answer is still validated against the prompt's own schema.
///
/// `ceiling` (kam.yaml's `grammar_max_length`) also tightens the bounds the schema has: llama.cpp turns a `maxLength`
/// of N into a rule of N optional characters, and a small model on a CPU generates several times slower under a
/// grammar with large N (measured: 4.2 tokens/s at 1000 against 11.7 at 40). A ceiling never goes below a string's
/// `minLength`, so an answer the grammar allows is still one the prompt's schema accepts.
public struct SchemaBounds: Sendable, Hashable, Codable {
    public var maxLength: Int
    public var maxItems: Int
    /// The largest `maxLength` the grammar gets; nil keeps the schema's own.
    public var ceiling: Int?

    public init(maxLength: Int = 1000, maxItems: Int = 20, ceiling: Int? = nil) {
        self.maxLength = maxLength
        self.maxItems = maxItems
        self.ceiling = ceiling
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
            node["maxLength"] = .int(Int64(ceiling.map { min($0, maxLength) } ?? maxLength))
        }
        if let ceiling, let length = node["maxLength"]?.intValue, length > ceiling {
            node["maxLength"] = .int(max(Int64(ceiling), node["minLength"]?.intValue ?? 0))
        }
        if let steps = Self.steps(of: node) { node["enum"] = .array(steps) }
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

    /// A `number` bounded on both sides within a span of at most 2 (a score from -1 to 1, a probability), as the 21 or
    /// fewer values a tenth apart that its bounds allow, or nil. llama.cpp's grammar ignores `minimum` and `maximum`
    /// on numbers, so a small model wrote `sentiment_score: -5783492462222224` under it; every value of the list is one
    /// the prompt's schema accepts.
    static func steps(of node: [String: JSONValue]) -> [JSONValue]? {
        guard node["type"] == .string("number"), node["enum"] == nil, node["const"] == nil, node["multipleOf"] == nil,
            let low = node["minimum"]?.doubleValue, let high = node["maximum"]?.doubleValue, high >= low, high - low <= 2
        else { return nil }
        let first = Int((low * 10).rounded(.up)), last = Int((high * 10).rounded(.down))
        guard first <= last else { return nil }
        return (first...last).map { .double(Double($0) / 10) }
    }
}
