/// An ECMA-262 regular expression (with the `u` flag's syntax) that searches in bounded time.
///
/// Patterns without backreferences and lookaround — nearly all that schemas use — compile to a
/// Thompson NFA that a lazily built DFA runs in time linear in the input, so `^(a+)+$` or
/// `(.*a){25}` cost the same as `^a+$`. Counted repetition is expanded, and a program larger than
/// `maxProgramSize` instructions is refused when the pattern is compiled. Backreferences and
/// lookaround have no linear algorithm; those patterns backtrack within `stepBudget` steps and
/// throw `RegexError.Code.tooComplex` beyond it.
///
/// Semantics follow ECMA-262 as JSON Schema asks: matching is over Unicode scalars, `\d` and `\w`
/// are ASCII, `.` stops at line terminators, `$` matches only at the very end, and the search is
/// unanchored (`"b"` matches `"abc"`).
///
/// For example:
///
/// ```swift
/// let regex = try ECMARegex("^(deal|task):[a-z0-9_]+$")
/// try regex.matches("deal:d_77")   // true
/// try regex.matches("deal:D 77")   // false
/// ```
public struct ECMARegex: Sendable {
    /// The largest program (in instructions) a pattern may compile to; `(a{1000}){1000}` is refused.
    public static let maxProgramSize = 20_000
    /// The most instructions one automaton state may hold (`AutomatonProgram.activeBound`).
    ///
    /// Building a state costs up to this much, and a search builds at most one state per scalar,
    /// so this bounds the worst case: unanchored `.{999}x` takes a few ms over 10 kB. Optional
    /// copies count once, so `^.{1,9999}$` is admitted; `.{1001}x` is not.
    public static let maxActiveInstructions = 1_000
    /// Steps a backtracking search (backreferences, lookaround) may take before it gives up.
    public static let stepBudget = 1_000_000

    enum Engine: Sendable {
        case automaton(LazyDFA)
        case backtracking(BacktrackingProgram)
    }

    /// The pattern as written.
    public let pattern: String
    let engine: Engine

    /// Compiles `pattern`.
    ///
    /// - Throws: `RegexError` with code `syntax` or `unsupported` for a pattern that is not
    ///   (implemented) ECMA-262, and `tooLarge` when its program would exceed `maxProgramSize`.
    public init(_ pattern: String) throws(RegexError) {
        try self.init(pattern, backtracking: false)
    }

    /// Compiles `pattern`; `backtracking` forces the backtracking engine (tests compare the two).
    init(_ pattern: String, backtracking: Bool) throws(RegexError) {
        self.pattern = pattern
        let (node, captures) = try RegexParser.parse(pattern)
        let size = AutomatonProgram.size(of: node, backtracking: node.needsBacktracking || backtracking)
        guard size <= Self.maxProgramSize else {
            let shown = size == .max ? "too many" : "\(size)"
            throw RegexError(
                code: .tooLarge,
                message: "the pattern compiles to \(shown) instructions, more than the limit of \(Self.maxProgramSize) "
                    + "(nested counted repetition such as (a{1000}){1000} multiplies); use smaller counts or a maxLength keyword",
                pattern: pattern)
        }
        let usesBacktracking = node.needsBacktracking || backtracking
        let active = AutomatonProgram.activeBound(of: node)
        guard usesBacktracking || active <= Self.maxActiveInstructions else {
            throw RegexError(
                code: .tooLarge,
                message: "the pattern can keep \(active == .max ? "too many" : "\(active)") instructions active at once, more than the "
                    + "limit of \(Self.maxActiveInstructions) (a large count such as .{5000} repeats its body that often); "
                    + "use a smaller count, an optional range such as {0,5000}, or a maxLength keyword",
                pattern: pattern)
        }
        if usesBacktracking {
            engine = .backtracking(BacktrackingProgram(node, captures: captures))
        } else {
            engine = .automaton(
                LazyDFA(AutomatonProgram(node), anchoredAtStart: node.isAnchoredAtStart, tracksWords: node.usesWordBoundaries))
        }
    }

    /// Whether the search runs in time linear in the input (no backreferences, no lookaround).
    public var isLinear: Bool {
        if case .automaton = engine { return true }
        return false
    }

    /// Whether the pattern matches anywhere in `string`.
    ///
    /// - Throws: `RegexError` with code `tooComplex` when a backtracking pattern needs more than
    ///   `stepBudget` steps; linear patterns never throw.
    public func matches(_ string: String) throws(RegexError) -> Bool {
        var budget = Self.stepBudget
        return try matches(string, budget: &budget)
    }

    /// Whether the pattern matches anywhere in `string`, spending backtracking steps from `budget`
    /// (a validation shares one budget among all its patterns).
    func matches(_ string: String, budget: inout Int) throws(RegexError) -> Bool {
        switch engine {
        case .automaton(let dfa): return dfa.matches(string)
        case .backtracking(let program): return try program.matches(string, budget: &budget, pattern: pattern)
        }
    }
}
