/// The outcome of checking a model's answer: a typed value, or the issues that drive a repair attempt.
///
/// Invalid output is an expected outcome of calling a model, so it is a value, not a thrown error.
public enum OutputCheck<T> {
    /// The answer parsed, matched the schema and decoded.
    case valid(T)
    /// The answer did not parse, match the schema, or decode; `rawText` is the answer as received.
    case invalid([ValidationIssue], rawText: String)

    /// The decoded value, if valid.
    public var value: T? {
        if case .valid(let v) = self { return v }
        return nil
    }

    /// The issues, empty if valid.
    public var issues: [ValidationIssue] {
        if case .invalid(let issues, _) = self { return issues }
        return []
    }

    public var isValid: Bool { value != nil }
}

extension OutputCheck: Sendable where T: Sendable {}
