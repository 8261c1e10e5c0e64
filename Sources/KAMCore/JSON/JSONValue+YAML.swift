import Yams

extension JSONValue {
    /// A YAML node as JSON: plain scalars resolved by YAML's rules (null, booleans, numbers), quoted ones kept as
    /// text, aliases as null.
    public init(yaml node: Node) {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if node.null != nil {
                    self = .null
                    return
                }
                if let flag = node.bool {
                    self = .bool(flag)
                    return
                }
                if let number = node.int {
                    self = .int(Int64(number))
                    return
                }
                if let number = node.float {
                    self = .double(number)
                    return
                }
            }
            self = .string(scalar.string)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping { object[key.scalar?.string ?? ""] = JSONValue(yaml: value) }
            self = .object(object)
        case .sequence(let sequence):
            self = .array(sequence.map { JSONValue(yaml: $0) })
        case .alias:
            self = .null
        }
    }

    /// A YAML document's text as JSON (an empty document is null).
    ///
    /// Read through `YAMLReader`, so its limits (aliases, depth, size) hold here as for every YAML KAM reads.
    ///
    /// - Throws: `ConfigurationError` naming `file`, the line and column, when the text is not YAML or too big.
    public init(yamlText text: String, file: String = "<yaml>") throws {
        guard let node = try YAMLReader.compose(text, file: file) else {
            self = .null
            return
        }
        self.init(yaml: node)
    }
}
