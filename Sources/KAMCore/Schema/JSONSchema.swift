/// A JSON Schema (draft 2020-12), compiled once and then used to validate many instances.
///
/// Compilation parses every keyword, compiles regular expressions and resolves every `$ref`
/// (against embedded `$id`s, anchors and the documents of a `SchemaRegistry`), so validation
/// is a walk over precomputed checks. `format` is an annotation only, as the specification's
/// default says; `content*` keywords are annotations too.
///
/// ```swift
/// let schema = try JSONSchema(JSONParser.parse(schemaText))
/// let issues = schema.validate(try JSONParser.parse(answer))
/// ```
public struct JSONSchema: Sendable {
    /// The base URI a schema without `$id` gets.
    public static let defaultBaseURI = "https://kam.invalid/schema.json"

    let nodes: [CompiledNode]
    let resources: [[String: Int]]
    let root: Int
    /// The fast path's program, when the schema uses only the keywords it checks (`SchemaShape`).
    let shape: SchemaShape?
    /// The schema as it was given, for providers that send it along with a request.
    public let json: JSONValue

    /// Compiles a schema.
    ///
    /// - Parameters:
    ///   - json: the schema document (an object or a boolean).
    ///   - baseURI: the URI relative references resolve against when the schema has no `$id`.
    ///   - registry: documents that `$ref` may name by absolute URI.
    /// - Throws: `SchemaError` naming the place in the schema that is wrong.
    public init(_ json: JSONValue, baseURI: String = JSONSchema.defaultBaseURI, registry: SchemaRegistry = SchemaRegistry())
        throws(SchemaError)
    {
        let compiler = SchemaCompiler(registry: registry)
        root = try compiler.compileRoot(json, baseURI: baseURI)
        nodes = compiler.nodes.map(CompiledNode.init)
        resources = compiler.resources.map(\.dynamicAnchors)
        shape = SchemaShape(nodes: nodes, root: root)
        self.json = json
    }

    /// Compiles a schema from its JSON text.
    public init(text: String, baseURI: String = JSONSchema.defaultBaseURI, registry: SchemaRegistry = SchemaRegistry())
        throws(SchemaError)
    {
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw SchemaError(
                code: .unreadable, message: "the schema is not valid JSON; fix the text", schemaLocation: baseURI, underlying: error)
        }
        try self.init(value, baseURI: baseURI, registry: registry)
    }

    /// Whether `OutputValidator` can check answers to this schema in one pass (`SchemaShape`).
    public var hasFastPath: Bool { shape != nil }

    /// Every way `instance` fails the schema, sorted by instance location; empty when it is valid.
    public func validate(_ instance: JSONValue) -> [ValidationIssue] {
        var evaluator = SchemaEvaluator(nodes: nodes, resources: resources, collect: true)
        var annotations: SchemaEvaluator.Annotations? = nil
        _ = evaluator.evaluate(root, instance, &annotations)
        if let undecided = evaluator.undecided { evaluator.issues.append(undecided) }
        if evaluator.issues.count > 1 {
            evaluator.issues.sort {
                ($0.instanceLocation, $0.keywordLocation) < ($1.instanceLocation, $1.keywordLocation)
            }
        }
        return evaluator.issues
    }

    /// Whether `instance` is valid; stops at the first failure.
    public func isValid(_ instance: JSONValue) -> Bool {
        var evaluator = SchemaEvaluator(nodes: nodes, resources: resources, collect: false)
        var annotations: SchemaEvaluator.Annotations? = nil
        return evaluator.evaluate(root, instance, &annotations) && evaluator.undecided == nil
    }
}
