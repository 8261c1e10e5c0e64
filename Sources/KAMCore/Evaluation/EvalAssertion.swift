/// One check applied to every answer of a suite; named, weighted, and optionally negated.
///
/// A case passes when every assertion passes; its score is the weighted share of assertions passed,
/// so two variants that both fail can still be told apart.
public struct EvalAssertion: Sendable, Hashable {
    public var name: String
    public var kind: Kind
    /// Pass when the check fails (`not` a regex, `not` mentions a fact).
    public var negate: Bool
    public var weight: Double
    /// `suite.yaml:14`, for messages.
    public var location: String

    public init(name: String, kind: Kind, negate: Bool = false, weight: Double = 1, location: String = "") {
        self.name = name
        self.kind = kind
        self.negate = negate
        self.weight = weight
        self.location = location
    }

    /// Where the text an assertion reads comes from: a field of the answer (dotted path), or all its text.
    public typealias FieldPath = String?

    /// Values given in the suite, or read from the case's expectations (`expected: KEY`).
    public enum Values: Sendable, Hashable {
        case literal([JSONValue])
        case expected(String)
    }

    public enum Kind: Sendable, Hashable {
        /// The answer matched the output schema (within the prompt's repair attempts).
        case schemaValid
        /// The field equals one of the values (one value for `field-equals`).
        case fieldEquals(field: String, values: Values)
        /// The text contains the values: `any`, `all`, or `none` of them.
        case contains(field: FieldPath, values: Values, mode: ContainsMode, caseSensitive: Bool)
        case regex(field: FieldPath, pattern: String, caseSensitive: Bool)
        case wordCount(field: FieldPath, min: Int?, max: Int?)
        /// Mentions at least one fact of the case's client (memory, deals, tasks, products).
        case mentionsFact(field: FieldPath)
        /// Mentions nothing that belongs only to another client of the fixtures (names, facts, deals).
        case noCrossClientLeak(field: FieldPath)
        /// No template leftovers: `[Name]`, `{{`, `}}`, `TODO`, `<placeholder>`, `XXX`.
        case noPlaceholders(field: FieldPath)
        case costAtMost(Money)
        case latencyAtMost(milliseconds: Double)
        /// An LLM grades the answer against a rubric; passes at `threshold` (0...1) or more.
        case judge(rubric: String, threshold: Double, provider: String?, model: String?)
        /// Extracted items against the case's labelled items: precision, recall and F1, passing at `minF1`.
        case extraction(field: String, itemField: String?, expected: String, minF1: Double)
    }

    public enum ContainsMode: String, Sendable, Hashable {
        case any, all, none
    }

    /// The assertion types a suite can name.
    public static let types: [String] = [
        "schema-valid", "field-equals", "field-one-of", "contains", "not-contains", "contains-any", "contains-all",
        "regex", "word-count", "mentions-fact", "no-cross-client-leak", "no-placeholders", "cost", "latency",
        "llm-judge", "extraction",
    ]
}
