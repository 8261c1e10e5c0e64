/// A schema that cannot be compiled: what is wrong, where in the schema, and what to do.
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The schema is not a JSON object or boolean where a schema was required.
        case notASchema = "schema.not-a-schema"
        /// A keyword has a value of the wrong type or range (e.g. `minLength: -1`).
        case invalidKeyword = "schema.invalid-keyword"
        /// A `$ref` or `$dynamicRef` points at nothing the registry knows.
        case unresolvedReference = "schema.unresolved-reference"
        /// A `pattern` or `patternProperties` regular expression is not (supported) ECMA-262.
        case invalidPattern = "schema.invalid-pattern"
        /// A regular expression would compile to a program larger than `ECMARegex.maxProgramSize`.
        /// (A backtracking pattern that runs out of steps while validating is reported as a
        /// `ValidationIssue` whose message carries this code.)
        case patternTooComplex = "schema.pattern-too-complex"
        /// The schema file could not be read or parsed.
        case unreadable = "schema.unreadable"
    }

    public var code: Code
    /// What is wrong and what to do about it.
    public var message: String
    /// JSON pointer of the offending place in the schema, with its base URI.
    public var schemaLocation: String
    /// The error that caused this one, if any (a parse error, a regex error).
    public var underlying: (any Error & Sendable)?

    public init(code: Code, message: String, schemaLocation: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.schemaLocation = schemaLocation
        self.underlying = underlying
    }

    public var description: String {
        var text = "invalid schema at \(schemaLocation): \(message)"
        if let underlying { text += " (\(underlying))" }
        return text + " [\(code.rawValue)]"
    }
}
