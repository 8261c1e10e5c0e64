/// Turns schema JSON into `SchemaNode`s, resolving every `$ref` to a node index up front.
///
/// Each schema resource (a document root or a subschema with `$id`) registers its nodes under
/// `resource#/json/pointer`, its `$anchor`s under `resource#name`, and its `$dynamicAnchor`s in a
/// per-resource table that `$dynamicRef` consults at validation time. References to documents
/// not yet seen are loaded from the `SchemaRegistry` and compiled into the same node table.
final class SchemaCompiler {
    struct Vocabulary {
        var validation = true
        var applicator = true
        var unevaluated = true
    }

    struct Pending {
        var node: Int
        var dynamic: Bool
        var target: URIReference
        var location: String
    }

    struct Resource {
        var uri: String
        var dynamicAnchors: [String: Int] = [:]
    }

    let registry: SchemaRegistry
    var nodes: [SchemaNode] = []
    var resources: [Resource] = []
    var resourceIndexByURI: [String: Int] = [:]
    /// `uri#fragment` → node index.
    var locations: [String: Int] = [:]
    /// Raw JSON of each resource, for references into places that are not compiled as schemas.
    var resourceDocuments: [String: (json: JSONValue, vocabulary: Vocabulary)] = [:]
    var pending: [Pending] = []

    init(registry: SchemaRegistry) {
        self.registry = registry
    }

    /// Compiles a root document and everything it references; returns the root's node index.
    func compileRoot(_ json: JSONValue, baseURI: String) throws(SchemaError) -> Int {
        let base = URIReference(baseURI).withoutFragment
        let root = try compileDocument(json, base: base)
        try resolvePending()
        for i in nodes.indices { nodes[i].finish() }
        return root
    }

    private func compileDocument(_ json: JSONValue, base: URIReference) throws(SchemaError) -> Int {
        var vocabulary = Vocabulary()
        if case .object(let fields) = json, let schemaURI = fields["$schema"]?.stringValue {
            vocabulary = try self.vocabulary(forMetaSchema: schemaURI, location: base.text + "#/$schema")
        }
        let resource = addResource(base.text, json: json, vocabulary: vocabulary)
        return try compile(json, base: base, scopes: [(base.text, "")], resource: resource, vocabulary: vocabulary)
    }

    private func addResource(_ uri: String, json: JSONValue, vocabulary: Vocabulary) -> Int {
        if let existing = resourceIndexByURI[uri] { return existing }
        resources.append(Resource(uri: uri))
        resourceIndexByURI[uri] = resources.count - 1
        if resourceDocuments[uri] == nil { resourceDocuments[uri] = (json, vocabulary) }
        return resources.count - 1
    }

    /// Reads `$vocabulary` of a custom meta-schema: keywords of vocabularies it leaves out are ignored.
    private func vocabulary(forMetaSchema uri: String, location: String) throws(SchemaError) -> Vocabulary {
        let key = SchemaRegistry.normalize(uri)
        if key == "https://json-schema.org/draft/2020-12/schema" { return Vocabulary() }
        guard let meta = registry.document(for: key) else {
            // An unknown meta-schema: validate with the full 2020-12 vocabulary.
            return Vocabulary()
        }
        guard let declared = meta["$vocabulary"]?.objectValue else { return Vocabulary() }
        let prefix = "https://json-schema.org/draft/2020-12/vocab/"
        return Vocabulary(
            validation: declared[prefix + "validation"] != nil,
            applicator: declared[prefix + "applicator"] != nil,
            unevaluated: declared[prefix + "unevaluated"] != nil
        )
    }

    private func register(_ index: Int, scopes: [(String, String)]) {
        for (uri, pointer) in scopes {
            let key = uri + "#" + pointer
            if locations[key] == nil { locations[key] = index }
        }
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    private func compile(
        _ json: JSONValue,
        base inheritedBase: URIReference,
        scopes inheritedScopes: [(String, String)],
        resource inheritedResource: Int,
        vocabulary inheritedVocabulary: Vocabulary
    ) throws(SchemaError) -> Int {
        var node = SchemaNode()
        let index = nodes.count
        nodes.append(node)
        defer { nodes[index] = node }
        let here = inheritedScopes.last.map { $0.0 + "#" + $0.1 } ?? inheritedBase.text
        node.location = here

        var base = inheritedBase
        var scopes = inheritedScopes
        var resource = inheritedResource
        var vocabulary = inheritedVocabulary

        switch json {
        case .bool(let b):
            node.boolean = b
            node.resource = resource
            register(index, scopes: scopes)
            return index
        case .object:
            break
        default:
            throw SchemaError(
                code: .notASchema,
                message: "expected a schema (an object or true/false) but found \(json.jsonTypeName) \(json.compactJSONText.prefix(80))",
                schemaLocation: here)
        }
        guard case .object(let fields) = json else { return index }

        if let id = fields["$id"] {
            guard let idText = id.stringValue else {
                throw SchemaError(code: .invalidKeyword, message: "$id must be a string URI", schemaLocation: here + "/$id")
            }
            let resolved = base.resolving(URIReference(idText)).withoutFragment
            base = resolved
            if let schemaURI = fields["$schema"]?.stringValue {
                vocabulary = try self.vocabulary(forMetaSchema: schemaURI, location: here + "/$schema")
            }
            resource = addResource(resolved.text, json: json, vocabulary: vocabulary)
            scopes.append((resolved.text, ""))
        }
        node.resource = resource
        register(index, scopes: scopes)

        if let anchor = fields["$anchor"]?.stringValue {
            locations[base.text + "#" + anchor] = index
        }
        if let anchor = fields["$dynamicAnchor"]?.stringValue {
            let key = base.text + "#" + anchor
            if locations[key] == nil { locations[key] = index }
            if resources[resource].dynamicAnchors[anchor] == nil { resources[resource].dynamicAnchors[anchor] = index }
        }

        func sub(_ value: JSONValue, _ path: String...) throws(SchemaError) -> Int {
            var suffix = ""
            for p in path { suffix += "/" + p.jsonPointerEscaped }
            let childScopes = scopes.map { ($0.0, $0.1 + suffix) }
            return try compile(value, base: base, scopes: childScopes, resource: resource, vocabulary: vocabulary)
        }
        func schemaArray(_ keyword: String) throws(SchemaError) -> [Int] {
            guard let value = fields[keyword] else { return [] }
            guard case .array(let elements) = value, !elements.isEmpty else {
                throw SchemaError(
                    code: .invalidKeyword, message: "\(keyword) must be a non-empty array of schemas",
                    schemaLocation: here + "/" + keyword)
            }
            var out: [Int] = []
            for (i, element) in elements.enumerated() { out.append(try sub(element, keyword, String(i))) }
            return out
        }
        func nonNegative(_ keyword: String) throws(SchemaError) -> Int? {
            guard let value = fields[keyword] else { return nil }
            guard let n = value.intValue, n >= 0 else {
                throw SchemaError(
                    code: .invalidKeyword, message: "\(keyword) must be a non-negative integer, found \(value.compactJSONText)",
                    schemaLocation: here + "/" + keyword)
            }
            return Int(clamping: n)
        }
        func number(_ keyword: String) throws(SchemaError) -> Double? {
            guard let value = fields[keyword] else { return nil }
            guard let d = value.doubleValue else {
                throw SchemaError(
                    code: .invalidKeyword, message: "\(keyword) must be a number, found \(value.compactJSONText)",
                    schemaLocation: here + "/" + keyword)
            }
            return d
        }
        func pattern(_ source: String, _ location: String) throws(SchemaError) -> SchemaPattern {
            do {
                return try SchemaPattern(source)
            } catch {
                let fix = error.code == .tooLarge ? "" : "; write it in ECMA-262 syntax"
                throw SchemaError(
                    code: error.code == .tooLarge ? .patternTooComplex : .invalidPattern,
                    message: "the regular expression does not compile: \(error)\(fix)", schemaLocation: location)
            }
        }

        // Core: references are resolved once every document is compiled.
        if let ref = fields["$ref"] {
            guard let text = ref.stringValue else {
                throw SchemaError(code: .invalidKeyword, message: "$ref must be a string URI", schemaLocation: here + "/$ref")
            }
            pending.append(Pending(node: index, dynamic: false, target: base.resolving(URIReference(text)), location: here + "/$ref"))
        }
        if let ref = fields["$dynamicRef"] {
            guard let text = ref.stringValue else {
                throw SchemaError(code: .invalidKeyword, message: "$dynamicRef must be a string URI", schemaLocation: here + "/$dynamicRef")
            }
            pending.append(Pending(node: index, dynamic: true, target: base.resolving(URIReference(text)), location: here + "/$dynamicRef"))
        }
        if case .object(let defs)? = fields["$defs"] {
            for (name, value) in defs { _ = try sub(value, "$defs", name) }
        }

        if vocabulary.validation {
            if let type = fields["type"] {
                var names: [String] = []
                switch type {
                case .string(let s): names = [s]
                case .array(let a): names = a.compactMap(\.stringValue)
                default: break
                }
                var mask: UInt8 = 0
                for name in names {
                    guard let bits = JSONTypeBits.bits(of: name) else {
                        throw SchemaError(
                            code: .invalidKeyword,
                            message: "unknown type \"\(name)\"; use null, boolean, integer, number, string, array or object",
                            schemaLocation: here + "/type")
                    }
                    mask |= bits
                }
                node.typeMask = mask
                node.typeNames = names
            }
            node.constValue = fields["const"]
            if let e = fields["enum"] {
                guard case .array(let values) = e else {
                    throw SchemaError(code: .invalidKeyword, message: "enum must be an array", schemaLocation: here + "/enum")
                }
                node.enumValues = values
                let strings = values.compactMap(\.stringValue)
                if strings.count == values.count { node.enumStrings = Set(strings) }
            }
            node.minimum = try number("minimum")
            node.maximum = try number("maximum")
            node.exclusiveMinimum = try number("exclusiveMinimum")
            node.exclusiveMaximum = try number("exclusiveMaximum")
            if let m = fields["multipleOf"] {
                guard let d = m.doubleValue, d > 0 else {
                    throw SchemaError(code: .invalidKeyword, message: "multipleOf must be a number greater than 0", schemaLocation: here + "/multipleOf")
                }
                node.multipleOf = m
            }
            node.minLength = try nonNegative("minLength")
            node.maxLength = try nonNegative("maxLength")
            if let p = fields["pattern"] {
                guard let source = p.stringValue else {
                    throw SchemaError(code: .invalidKeyword, message: "pattern must be a string", schemaLocation: here + "/pattern")
                }
                node.pattern = try pattern(source, here + "/pattern")
            }
            node.minItems = try nonNegative("minItems")
            node.maxItems = try nonNegative("maxItems")
            node.uniqueItems = fields["uniqueItems"]?.boolValue ?? false
            node.minContains = try nonNegative("minContains")
            node.maxContains = try nonNegative("maxContains")
            node.minProperties = try nonNegative("minProperties")
            node.maxProperties = try nonNegative("maxProperties")
            if let r = fields["required"] {
                guard case .array(let names) = r, names.allSatisfy({ $0.stringValue != nil }) else {
                    throw SchemaError(code: .invalidKeyword, message: "required must be an array of property names", schemaLocation: here + "/required")
                }
                node.required = names.compactMap(\.stringValue)
            }
            if case .object(let deps)? = fields["dependentRequired"] {
                node.dependentRequired = deps.keys.sorted().map { key in
                    (key, deps[key]?.arrayValue?.compactMap(\.stringValue) ?? [])
                }
            }
        }

        if vocabulary.applicator {
            node.allOf = try schemaArray("allOf")
            node.anyOf = try schemaArray("anyOf")
            node.oneOf = try schemaArray("oneOf")
            if let n = fields["not"] { node.not = try sub(n, "not") }
            if let s = fields["if"] { node.ifSchema = try sub(s, "if") }
            if let s = fields["then"] { node.thenSchema = try sub(s, "then") }
            if let s = fields["else"] { node.elseSchema = try sub(s, "else") }
            node.prefixItems = try schemaArray("prefixItems")
            if let s = fields["items"] { node.items = try sub(s, "items") }
            if let s = fields["contains"] { node.contains = try sub(s, "contains") }
            if case .object(let props)? = fields["properties"] {
                for (name, value) in props { node.properties[name] = try sub(value, "properties", name) }
            }
            if case .object(let props)? = fields["patternProperties"] {
                for name in props.keys.sorted() {
                    let compiled = try pattern(name, here + "/patternProperties/" + name.jsonPointerEscaped)
                    node.patternProperties.append((compiled, try sub(props[name]!, "patternProperties", name)))
                }
            }
            if let s = fields["additionalProperties"] { node.additionalProperties = try sub(s, "additionalProperties") }
            if let s = fields["propertyNames"] { node.propertyNames = try sub(s, "propertyNames") }
            if case .object(let deps)? = fields["dependentSchemas"] {
                for name in deps.keys.sorted() {
                    node.dependentSchemas.append((name, try sub(deps[name]!, "dependentSchemas", name)))
                }
            }
        }
        if vocabulary.unevaluated {
            if let s = fields["unevaluatedItems"] { node.unevaluatedItems = try sub(s, "unevaluatedItems") }
            if let s = fields["unevaluatedProperties"] { node.unevaluatedProperties = try sub(s, "unevaluatedProperties") }
        }
        return index
    }

    private func resolvePending() throws(SchemaError) {
        while let next = pending.popLast() {
            let target = try resolve(next.target, location: next.location)
            if next.dynamic {
                nodes[next.node].dynamicRef = target
                // Dynamic only when the initial target carries a $dynamicAnchor of that name.
                if let fragment = next.target.fragment, !fragment.isEmpty, !fragment.hasPrefix("/"),
                    let r = resourceIndexByURI[next.target.withoutFragment.text],
                    resources[r].dynamicAnchors[fragment] != nil
                {
                    nodes[next.node].dynamicAnchorName = fragment
                }
            } else {
                nodes[next.node].ref = target
            }
        }
    }

    private func resolve(_ uri: URIReference, location: String) throws(SchemaError) -> Int {
        let document = uri.withoutFragment.text
        var fragment = uri.fragment ?? ""
        if fragment.hasPrefix("/") { fragment = fragment.removingPercentEncoding() }
        let key = document + "#" + fragment
        if let found = locations[key] { return found }
        if resourceDocuments[document] == nil, let json = registry.document(for: document) {
            _ = try compileDocument(json, base: URIReference(document))
            if let found = locations[key] { return found }
        }
        if fragment.hasPrefix("/"), let (json, vocabulary) = resourceDocuments[document],
            let value = json.value(atPointer: fragment)
        {
            let resource = resourceIndexByURI[document] ?? addResource(document, json: json, vocabulary: vocabulary)
            return try compile(value, base: URIReference(document), scopes: [(document, fragment)], resource: resource, vocabulary: vocabulary)
        }
        throw SchemaError(
            code: .unresolvedReference,
            message: "the reference \(uri.text) points at nothing known; define it in $defs, or add the document \(document) to the SchemaRegistry",
            schemaLocation: location)
    }
}

extension String {
    /// Decodes `%XX` escapes (JSON pointers in URI fragments are percent-encoded).
    func removingPercentEncoding() -> String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let b = iterator.next() {
            if b == UInt8(ascii: "%"), let h = iterator.next(), let l = iterator.next(),
                let v = UInt8(String(decoding: [h, l], as: UTF8.self), radix: 16)
            {
                bytes.append(v)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
