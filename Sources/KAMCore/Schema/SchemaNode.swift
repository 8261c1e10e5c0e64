/// A compiled schema object, frozen: validation reads `keywords` through a class reference.
///
/// The keywords live in a `let` of a final class so that reading them neither copies the struct
/// (a retain per field) nor pays Swift's dynamic exclusivity checks, which a class with `var`
/// properties would — both showed up as the top costs in profiles of `kam-bench validate`.
final class CompiledNode: Sendable {
    let k: SchemaNode

    init(_ keywords: SchemaNode) {
        k = keywords
    }
}

/// One schema object's keywords, parsed once; subschemas are referenced by node index.
///
/// Validation reads these fields directly instead of looking keywords up in a dictionary, so a
/// schema is compiled once and then checks many instances cheaply. `SchemaCompiler` fills them
/// in (references are patched after every target exists); they never change afterwards.
struct SchemaNode: Sendable {
    /// `true` / `false` schemas.
    var boolean: Bool?
    /// Schema location for messages (`base#/pointer`).
    var location: String = ""
    /// Index of the schema resource this node belongs to (for `$dynamicRef`'s dynamic scope).
    var resource: Int = 0

    var ref: Int?
    var dynamicRef: Int?
    var dynamicAnchorName: String?

    var typeMask: UInt8?
    var typeNames: [String] = []
    var constValue: JSONValue?
    var enumValues: [JSONValue]?
    /// Fast path for `enum` of strings only.
    var enumStrings: Set<String>?

    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: JSONValue?

    var minLength: Int?
    var maxLength: Int?
    var pattern: SchemaPattern?

    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false
    var prefixItems: [Int] = []
    var items: Int?
    var contains: Int?
    var minContains: Int?
    var maxContains: Int?
    var unevaluatedItems: Int?

    var minProperties: Int?
    var maxProperties: Int?
    var required: [String] = []
    var dependentRequired: [(String, [String])] = []
    var properties: [String: Int] = [:]
    var patternProperties: [(SchemaPattern, Int)] = []
    var additionalProperties: Int?
    var propertyNames: Int?
    var dependentSchemas: [(String, Int)] = []
    var unevaluatedProperties: Int?

    var allOf: [Int] = []
    var anyOf: [Int] = []
    var oneOf: [Int] = []
    var not: Int?
    var ifSchema: Int?
    var thenSchema: Int?
    var elseSchema: Int?

    /// Precomputed: whether any keyword applies to numbers, strings, arrays or objects.
    var hasNumberKeywords = false
    var hasStringKeywords = false
    var hasArrayKeywords = false
    var hasObjectKeywords = false
    /// Whether `properties`/`patternProperties`/`additionalProperties`/`propertyNames` need a pass over the members.
    var hasMemberKeywords = false
    var hasApplicators = false

    /// `unevaluatedProperties`/`unevaluatedItems` need annotations from the in-place subschemas.
    var needsAnnotations = false

    /// Sets the `has…` flags once every keyword is in place.
    mutating func finish() {
        hasNumberKeywords = minimum != nil || maximum != nil || exclusiveMinimum != nil || exclusiveMaximum != nil
            || multipleOf != nil
        hasStringKeywords = minLength != nil || maxLength != nil || pattern != nil
        hasArrayKeywords = minItems != nil || maxItems != nil || uniqueItems || !prefixItems.isEmpty || items != nil
            || contains != nil || unevaluatedItems != nil
        hasMemberKeywords = !properties.isEmpty || !patternProperties.isEmpty || additionalProperties != nil
            || propertyNames != nil
        hasObjectKeywords = hasMemberKeywords || minProperties != nil || maxProperties != nil || !required.isEmpty
            || !dependentRequired.isEmpty || !dependentSchemas.isEmpty || unevaluatedProperties != nil
        needsAnnotations = unevaluatedItems != nil || unevaluatedProperties != nil
        hasApplicators = !allOf.isEmpty || !anyOf.isEmpty || !oneOf.isEmpty || not != nil || ifSchema != nil
    }
}

/// JSON types as bits, so `type` is one AND.
enum JSONTypeBits {
    static let null: UInt8 = 1
    static let boolean: UInt8 = 2
    static let integer: UInt8 = 4
    static let number: UInt8 = 8
    static let string: UInt8 = 16
    static let array: UInt8 = 32
    static let object: UInt8 = 64

    static func bits(of name: String) -> UInt8? {
        switch name {
        case "null": return null
        case "boolean": return boolean
        case "integer": return integer
        case "number": return number | integer
        case "string": return string
        case "array": return array
        case "object": return object
        default: return nil
        }
    }

    static func bits(of value: JSONValue) -> UInt8 {
        switch value {
        case .null: return null
        case .bool: return boolean
        case .int: return integer
        case .double(let d): return d.rounded() == d && d.isFinite ? integer : number
        case .string: return string
        case .array: return array
        case .object: return object
        }
    }
}
