/// A zero-width test of the position between two scalars (ECMA-262 without the `m` flag).
enum RegexAssertion: Sendable, Hashable {
    /// `^`: the start of the input.
    case start
    /// `$`: the end of the input.
    case end
    /// `\b`: a word scalar (`[A-Za-z0-9_]`) on exactly one side.
    case wordBoundary
    /// `\B`: word scalars on both sides or on neither.
    case notWordBoundary

    /// Whether the assertion holds between `previous` and `next` (nil beyond either end).
    @inline(__always)
    func holds(previous: UInt32?, next: UInt32?) -> Bool {
        switch self {
        case .start: return previous == nil
        case .end: return next == nil
        case .wordBoundary: return Self.isWord(previous) != Self.isWord(next)
        case .notWordBoundary: return Self.isWord(previous) == Self.isWord(next)
        }
    }

    /// ECMA-262's WordCharacters without the `i` flag: ASCII letters, digits and `_`.
    @inline(__always)
    static func isWord(_ scalar: UInt32?) -> Bool {
        guard let c = scalar, c < 0x80 else { return false }
        return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }
}

/// A parsed ECMA-262 pattern, before it is compiled for one of the two engines.
indirect enum RegexNode: Sendable {
    case empty
    case scalar(UInt32)
    case set(ScalarSet)
    /// `.`: any scalar except the line terminators.
    case dot
    case assertion(RegexAssertion)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    /// `( … )` with its capture number (from 1), or `(?: … )` with nil.
    case group(RegexNode, capture: Int?)
    /// A quantified atom; `captures` are the capture numbers inside it, reset before every iteration.
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool, captures: Range<Int>)
    /// `\1` or `\k<name>`, resolved to a capture number.
    case backreference(Int)
    /// `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`.
    case lookaround(RegexNode, behind: Bool, negated: Bool)

    /// Whether the node can match without consuming a scalar (assertions count as empty).
    var isNullable: Bool {
        switch self {
        case .empty, .assertion, .backreference, .lookaround: return true
        case .scalar, .set, .dot: return false
        case .concatenation(let items): return items.allSatisfy(\.isNullable)
        case .alternation(let options): return options.contains(where: \.isNullable)
        case .group(let inner, _): return inner.isNullable
        case .repetition(let inner, let min, _, _, _): return min == 0 || inner.isNullable
        }
    }

    /// Whether every match must begin at the start of the input (the pattern begins with `^` on every branch).
    var isAnchoredAtStart: Bool {
        switch self {
        case .assertion(.start): return true
        case .concatenation(let items):
            for item in items {
                if item.isAnchoredAtStart { return true }
                // Zero-width items before `^` do not move it.
                switch item {
                case .assertion, .lookaround, .empty: continue
                default: return false
                }
            }
            return false
        case .alternation(let options): return !options.isEmpty && options.allSatisfy(\.isAnchoredAtStart)
        case .group(let inner, _): return inner.isAnchoredAtStart
        case .repetition(let inner, let min, _, _, _): return min > 0 && inner.isAnchoredAtStart
        default: return false
        }
    }

    /// Whether the pattern needs the backtracking engine (backreferences or lookaround).
    var needsBacktracking: Bool {
        switch self {
        case .backreference, .lookaround: return true
        case .empty, .scalar, .set, .dot, .assertion: return false
        case .concatenation(let items), .alternation(let items): return items.contains(where: \.needsBacktracking)
        case .group(let inner, _), .repetition(let inner, _, _, _, _): return inner.needsBacktracking
        }
    }

    /// Whether `\b` or `\B` occurs (the automaton then tracks whether the previous scalar was a word scalar).
    var usesWordBoundaries: Bool {
        switch self {
        case .assertion(.wordBoundary), .assertion(.notWordBoundary): return true
        case .concatenation(let items), .alternation(let items): return items.contains(where: \.usesWordBoundaries)
        case .group(let inner, _), .repetition(let inner, _, _, _, _), .lookaround(let inner, _, _): return inner.usesWordBoundaries
        default: return false
        }
    }
}
