/// A Thompson NFA for patterns without backreferences and lookaround: the program `LazyDFA` runs.
///
/// Counted repetition is expanded (`a{2,4}` is `aa(a(a)?)?`), so the program size is checked
/// against `ECMARegex.maxProgramSize` before anything is emitted. Captures and greedy/lazy order
/// are dropped: JSON Schema only asks whether a match exists, and every path of the NFA is a
/// possible match whatever order a backtracker would try them in.
struct AutomatonProgram: Sendable {
    enum Instruction: Sendable {
        case scalar(UInt32)
        case set(Int32)
        case dot
        case assertion(RegexAssertion)
        /// Continue at both targets.
        case split(Int32, Int32)
        case jump(Int32)
        case match
    }

    var instructions: [Instruction] = []
    var sets: [ScalarSet] = []
    /// For instructions inside the optional copies of a counted repetition (`x{0,999}`): a slot
    /// shared by the same instruction of every copy; -1 elsewhere. A thread in an earlier copy
    /// can do everything the same instruction in a later copy can (it has more copies left), so
    /// `LazyDFA` keeps only the earliest per slot and the state stays small.
    var dominanceSlots: [Int32] = []
    var slotCount = 0
    private var insideOptionalCopies = false

    /// Compiles `node`; the caller has checked `size(of:)`.
    init(_ node: RegexNode) {
        emit(node)
        instructions.append(.match)
        dominanceSlots += repeatElement(-1, count: instructions.count - dominanceSlots.count)
    }

    /// Instructions the node compiles to (saturating), without emitting them: exact for this
    /// program, and with `backtracking` an upper bound for `BacktrackingProgram` (which adds
    /// capture saves, capture resets and progress checks).
    static func size(of node: RegexNode, backtracking: Bool = false) -> Int {
        func size(_ node: RegexNode) -> Int {
            switch node {
            case .empty: return 0
            case .scalar, .set, .dot, .assertion, .backreference: return 1
            case .concatenation(let items):
                return items.reduce(0) { $0.addingSaturating(size($1)) }
            case .alternation(let options):
                return options.reduce(2 * (options.count - 1)) { $0.addingSaturating(size($1)) }
            case .group(let inner, let capture):
                return size(inner).addingSaturating(backtracking && capture != nil ? 2 : 0)
            case .lookaround(let inner, _, _): return size(inner).addingSaturating(2)
            case .repetition(let inner, let min, let max, _, _):
                let body = size(inner).addingSaturating(backtracking ? 3 : 0)
                let required = body.multipliedSaturating(by: min)
                guard let max else { return required.addingSaturating(body).addingSaturating(2) }
                return required.addingSaturating((body + 1).multipliedSaturating(by: max - min))
            }
        }
        return size(node)
    }

    /// How many instructions can be active in one DFA state at most (saturating): the work of
    /// building a state. Mandatory copies count in full (`.{999}x` searched from every position
    /// keeps all 999 active); the optional copies of `x{0,n}` count as one copy, because
    /// `dominanceSlots` keeps only the earliest thread per instruction of the copy.
    static func activeBound(of node: RegexNode) -> Int {
        switch node {
        case .empty: return 0
        case .scalar, .set, .dot, .assertion, .backreference: return 1
        case .concatenation(let items):
            return items.reduce(0) { $0.addingSaturating(activeBound(of: $1)) }
        case .alternation(let options):
            return options.reduce(2 * (options.count - 1)) { $0.addingSaturating(activeBound(of: $1)) }
        case .group(let inner, _), .lookaround(let inner, _, _): return activeBound(of: inner)
        case .repetition(let inner, let min, let max, _, _):
            let mandatory = activeBound(of: inner).multipliedSaturating(by: min)
            guard let max else { return mandatory.addingSaturating(activeBound(of: inner)).addingSaturating(2) }
            guard max > min else { return mandatory }
            return mandatory.addingSaturating(size(of: inner)).addingSaturating(1)
        }
    }

    private mutating func append(_ instruction: Instruction) -> Int {
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func emit(_ node: RegexNode) {
        switch node {
        case .empty:
            break
        case .scalar(let c):
            _ = append(.scalar(c))
        case .set(let set):
            sets.append(set)
            _ = append(.set(Int32(sets.count - 1)))
        case .dot:
            _ = append(.dot)
        case .assertion(let a):
            _ = append(.assertion(a))
        case .concatenation(let items):
            for item in items { emit(item) }
        case .alternation(let options):
            var exits: [Int] = []
            for (i, option) in options.enumerated() {
                if i == options.count - 1 {
                    emit(option)
                } else {
                    let split = append(.split(0, 0))
                    emit(option)
                    exits.append(append(.jump(0)))
                    instructions[split] = .split(Int32(split + 1), Int32(instructions.count))
                }
            }
            for exit in exits { instructions[exit] = .jump(Int32(instructions.count)) }
        case .group(let inner, _):
            emit(inner)
        case .repetition(let inner, let min, let max, _, _):
            // An empty body (`(?:){2147483647}`) emits nothing however often it is repeated.
            guard Self.size(of: inner) > 0 else { return }
            for _ in 0..<min { emit(inner) }
            if let max {
                // Nested optional copies: each may skip straight to the end.
                let outermost = !insideOptionalCopies
                insideOptionalCopies = true
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(append(.split(0, 0)))
                    emit(inner)
                }
                for s in splits { instructions[s] = .split(Int32(s + 1), Int32(instructions.count)) }
                if outermost {
                    insideOptionalCopies = false
                    if let first = splits.first, splits.count > 1 {
                        let length = splits[1] - first
                        dominanceSlots += repeatElement(-1, count: first - dominanceSlots.count)
                        for _ in splits {
                            dominanceSlots += (0..<length).map { Int32(slotCount + $0) }
                        }
                        slotCount += length
                    }
                }
            } else {
                let loop = append(.split(0, 0))
                emit(inner)
                _ = append(.jump(Int32(loop)))
                instructions[loop] = .split(Int32(loop + 1), Int32(instructions.count))
            }
        case .backreference, .lookaround:
            preconditionFailure("backreferences and lookaround are compiled by BacktrackingProgram")
        }
    }
}

private extension Int {
    func addingSaturating(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    func multipliedSaturating(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? .max : product
    }
}
