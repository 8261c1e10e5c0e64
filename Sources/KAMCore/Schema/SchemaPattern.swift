/// A `pattern` or `patternProperties` regular expression, compiled once, with its place in the schema.
///
/// JSON Schema patterns are ECMA-262 regular expressions; `ECMARegex` gives them ECMA-262's
/// meaning (unanchored search over code points, ASCII `\d` and `\w`) and a bounded running time,
/// because patterns and the strings they check can both come from a model's answer.
struct SchemaPattern: Sendable {
    let source: String
    let regex: ECMARegex

    init(_ source: String) throws(RegexError) {
        self.source = source
        self.regex = try ECMARegex(source)
    }

    /// Whether the pattern matches anywhere in `string`; backtracking patterns spend from `budget`.
    func matches(_ string: String, budget: inout Int) throws(RegexError) -> Bool {
        try regex.matches(string, budget: &budget)
    }

    /// Whether the pattern matches anywhere in `string`, with a fresh `ECMARegex.stepBudget`.
    func matches(_ string: String) throws(RegexError) -> Bool {
        try regex.matches(string)
    }
}
