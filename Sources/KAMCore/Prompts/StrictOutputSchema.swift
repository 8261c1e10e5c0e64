/// The rules an output JSON Schema must follow so that strict providers accept it and small models stop.
///
/// OpenAI's strict `json_schema` mode requires every object to list all its properties as required and to
/// forbid additional ones; a small local model without `maxLength` on free text repeats itself until
/// `max_tokens` and returns cut-off JSON. `kam prompts check` reports every breach with its JSON path.
public enum StrictOutputSchema {
    /// Every breach of the rules in `schema`, each naming its path (`$.facts_used.items.source`).
    public static func problems(in schema: JSONValue) -> [String] {
        var problems: [String] = []
        guard case .object(let root) = schema, root["type"] == "object" else {
            return ["the root must be an object schema (`type: object`)"]
        }
        check(schema, path: "$", into: &problems)
        return problems
    }

    private static func check(_ schema: JSONValue, path: String, into problems: inout [String]) {
        guard case .object(let node) = schema else {
            problems.append("\(path) must be a schema object")
            return
        }
        for keyword in ["anyOf", "oneOf", "allOf"] {
            if case .array(let options)? = node[keyword] {
                for (index, option) in options.enumerated() { check(option, path: "\(path).\(keyword)[\(index)]", into: &problems) }
            }
        }
        if node["anyOf"] != nil || node["oneOf"] != nil || node["allOf"] != nil || node["$ref"] != nil { return }
        let types: [String]
        switch node["type"] {
        case .string(let type)?: types = [type]
        case .array(let list)?: types = list.compactMap(\.stringValue)
        default:
            problems.append("\(path) has no `type`")
            return
        }
        if types.contains("object") {
            guard case .object(let properties)? = node["properties"] else {
                problems.append("\(path) is an object without `properties`")
                return
            }
            if node["additionalProperties"] != .bool(false) {
                problems.append("\(path) must set `additionalProperties: false`")
            }
            let required = Set((node["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            let missing = properties.keys.filter { !required.contains($0) }.sorted()
            if !missing.isEmpty {
                problems.append("\(path) must list every property in `required`; missing \(missing.joined(separator: ", "))")
            }
            let unknown = required.subtracting(properties.keys).sorted()
            if !unknown.isEmpty {
                problems.append("\(path) requires \(unknown.joined(separator: ", ")), which \(unknown.count == 1 ? "is" : "are") not in `properties`")
            }
            for key in properties.keys.sorted() { check(properties[key]!, path: "\(path).\(key)", into: &problems) }
        }
        if types.contains("array") {
            guard let items = node["items"] else {
                problems.append("\(path) is an array without `items`")
                return
            }
            check(items, path: "\(path).items", into: &problems)
        }
        if types.contains("string"), node["enum"] == nil, node["const"] == nil, node["maxLength"] == nil {
            problems.append("\(path) is free text without `maxLength`; small models run on without one")
        }
    }
}
