/// The fast path of output validation: a schema made only of the keywords KAM's shipped output
/// schemas use, checked in the same single pass that reads the answer's bytes, with no
/// `JSONValue` tree; a valid answer is then decoded straight from that pass's `JSONTape`.
///
/// A schema qualifies when every subschema uses only `type`, `enum` of strings, `minLength`,
/// `maxLength`, `pattern`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `items`,
/// `minItems`, `maxItems`, `properties` (at most 64), `required` (of listed properties),
/// `additionalProperties: false`, and annotations; anything else (`$ref`, applicators, ...) leaves
/// `JSONSchema.shape` nil. The fast path only ever says "valid, and here is the value": an answer
/// it cannot accept for any reason (not JSON, against the schema, a member outside `properties`,
/// a value the type cannot hold) goes to the general path (`JSONParser`, `SchemaEvaluator`,
/// `JSONValueDecoder`), which finds the same verdict and words the issues, so messages do not
/// depend on which path ran. `SchemaShapeAgreementTests` checks both paths agree.
struct SchemaShape: Sendable {
    /// One subschema's checks, by the kind of value they apply to.
    final class Node: Sendable {
        /// The `type` bits (`JSONTypeBits`); nil accepts every type.
        let typeMask: UInt8?
        let enumStrings: [[UInt8]]?
        let minLength: Int?
        let maxLength: Int?
        let pattern: SchemaPattern?
        let minimum: Double?
        let maximum: Double?
        let exclusiveMinimum: Double?
        let exclusiveMaximum: Double?
        let hasNumberChecks: Bool
        let minItems: Int?
        let maxItems: Int?
        /// The node every item must match; nil for any item.
        let items: Int?
        /// `properties`: names as UTF-8 and their nodes, in the same order.
        let names: [[UInt8]]
        let children: [Int]
        /// Bit `i` set: `names[i]` is required.
        let requiredMask: UInt64
        /// `additionalProperties: false`.
        let closed: Bool

        init(
            typeMask: UInt8?, enumStrings: [[UInt8]]?, minLength: Int?, maxLength: Int?, pattern: SchemaPattern?,
            minimum: Double?, maximum: Double?, exclusiveMinimum: Double?, exclusiveMaximum: Double?, minItems: Int?,
            maxItems: Int?, items: Int?, names: [[UInt8]], children: [Int], requiredMask: UInt64, closed: Bool
        ) {
            self.typeMask = typeMask
            self.enumStrings = enumStrings
            self.minLength = minLength
            self.maxLength = maxLength
            self.pattern = pattern
            self.minimum = minimum
            self.maximum = maximum
            self.exclusiveMinimum = exclusiveMinimum
            self.exclusiveMaximum = exclusiveMaximum
            hasNumberChecks = minimum != nil || maximum != nil || exclusiveMinimum != nil || exclusiveMaximum != nil
            self.minItems = minItems
            self.maxItems = maxItems
            self.items = items
            self.names = names
            self.children = children
            self.requiredMask = requiredMask
            self.closed = closed
        }
    }

    let nodes: [Node]
    let root: Int

    /// The shape of a compiled schema, or nil when it uses a keyword the fast path does not check.
    init?(nodes compiled: [CompiledNode], root: Int) {
        var nodes: [Node] = []
        guard let root = Self.compile(root, compiled, &nodes, depth: 0) else { return nil }
        self.nodes = nodes
        self.root = root
    }

    private static func compile(_ index: Int, _ compiled: [CompiledNode], _ nodes: inout [Node], depth: Int) -> Int? {
        let k = compiled[index].k
        // Without `$ref` a schema is a tree; the bound only guards against a pathological one.
        guard depth < 64 else { return nil }
        if let boolean = k.boolean {
            guard boolean else { return nil }
            nodes.append(
                Node(
                    typeMask: nil, enumStrings: nil, minLength: nil, maxLength: nil, pattern: nil, minimum: nil, maximum: nil,
                    exclusiveMinimum: nil, exclusiveMaximum: nil, minItems: nil, maxItems: nil, items: nil, names: [],
                    children: [], requiredMask: 0, closed: false))
            return nodes.count - 1
        }
        guard k.ref == nil, k.dynamicRef == nil, k.constValue == nil, k.multipleOf == nil, !k.uniqueItems,
            k.prefixItems.isEmpty, k.contains == nil, k.unevaluatedItems == nil, k.unevaluatedProperties == nil,
            k.minProperties == nil, k.maxProperties == nil, k.dependentRequired.isEmpty, k.patternProperties.isEmpty,
            k.propertyNames == nil, k.dependentSchemas.isEmpty, !k.hasApplicators, k.properties.count <= 64
        else { return nil }
        var enumStrings: [[UInt8]]? = nil
        if let values = k.enumValues {
            // Byte comparison is the evaluator's verdict only when no two members are canonically equal.
            guard let strings = k.enumStrings, strings.count == values.count else { return nil }
            enumStrings = values.compactMap { $0.stringValue.map { Array($0.utf8) } }
        }
        var closed = false
        if let additional = k.additionalProperties {
            guard compiled[additional].k.boolean == false else { return nil }
            closed = true
        }
        let properties = k.properties.sorted { $0.key < $1.key }
        var names: [[UInt8]] = []
        var children: [Int] = []
        for (name, child) in properties {
            guard let node = compile(child, compiled, &nodes, depth: depth + 1) else { return nil }
            names.append(Array(name.utf8))
            children.append(node)
        }
        var requiredMask: UInt64 = 0
        for name in k.required {
            guard let i = properties.firstIndex(where: { $0.key.utf8.elementsEqual(name.utf8) }) else { return nil }
            requiredMask |= 1 << UInt64(i)
        }
        var items: Int? = nil
        if let child = k.items {
            guard let node = compile(child, compiled, &nodes, depth: depth + 1) else { return nil }
            items = node
        }
        nodes.append(
            Node(
                typeMask: k.typeMask, enumStrings: enumStrings, minLength: k.minLength, maxLength: k.maxLength,
                pattern: k.pattern, minimum: k.minimum, maximum: k.maximum, exclusiveMinimum: k.exclusiveMinimum,
                exclusiveMaximum: k.exclusiveMaximum, minItems: k.minItems, maxItems: k.maxItems, items: items, names: names,
                children: children, requiredMask: requiredMask, closed: closed))
        return nodes.count - 1
    }

    /// The answer decoded as `T` when `text` is one JSON document that matches the schema and
    /// decodes without error; nil otherwise (the general path then tells why).
    func decode<T: Decodable>(_ type: T.Type, from text: String, decoder: JSONValueDecoder, maxDepth: Int) -> T? {
        var text = text
        return text.withUTF8 { bytes -> T? in
            var scanner = ShapeScanner(bytes: bytes, nodes: nodes, maxDepth: maxDepth)
            guard scanner.document(root) else { return nil }
            return try? JSONTapeDecoder.decode(type, tape: scanner.tape, bytes: bytes, options: decoder)
        }
    }
}
