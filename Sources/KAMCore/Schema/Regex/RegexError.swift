/// A regular expression that cannot be compiled, or a search that would take longer than allowed.
///
/// Patterns come from schema files and prompt files, so every message names the pattern, the
/// place in it (a 0-based offset in Unicode scalars) and what to write instead.
public struct RegexError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// Not an ECMA-262 pattern (`(unclosed`, `a{2,1}`, `\q`).
        case syntax = "regex.syntax"
        /// Valid ECMA-262 that KAM does not implement (`\p{Script=Greek}`, `(?i:…)`).
        case unsupported = "regex.unsupported"
        /// The compiled program would be larger than `ECMARegex.maxProgramSize` (`(a{1000}){1000}`).
        case tooLarge = "regex.too-large"
        /// A search with backreferences or lookaround ran out of `ECMARegex.stepBudget` steps.
        case tooComplex = "regex.too-complex"
    }

    public var code: Code
    /// What is wrong and what to do about it.
    public var message: String
    /// The pattern as written.
    public var pattern: String
    /// Where in the pattern, in Unicode scalars from 0, when one place is to blame.
    public var offset: Int?

    public init(code: Code, message: String, pattern: String, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.pattern = pattern
        self.offset = offset
    }

    public var description: String {
        let shown = pattern.unicodeScalars.count > 200 ? String(String.UnicodeScalarView(pattern.unicodeScalars.prefix(200))) + "…" : pattern
        var text = "\(message) in /\(shown)/"
        if let offset { text += " at offset \(offset)" }
        return text + " [\(code.rawValue)]"
    }
}
