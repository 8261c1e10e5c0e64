/// A backtracking matcher for patterns with backreferences or lookaround, bounded by a step budget.
///
/// No linear-time algorithm is known for backreferences, so these patterns run on an explicit
/// stack (never the call stack, except one level per nested lookaround) with ECMA-262's
/// semantics: captures inside a quantifier are reset at each iteration, an iteration beyond the
/// minimum that matches the empty string fails, lookbehind matches right to left, and a
/// lookaround, once it succeeds, is not re-entered. Every instruction executed costs one step; a
/// search that spends `ECMARegex.stepBudget` steps throws `RegexError.Code.tooComplex` instead of
/// running on.
struct BacktrackingProgram: Sendable {
    enum Instruction: Sendable {
        case scalar(UInt32, backward: Bool)
        case set(Int32, backward: Bool)
        case dot(backward: Bool)
        case assertion(RegexAssertion)
        /// Try the first target, then the second.
        case split(Int32, Int32)
        case jump(Int32)
        /// Store the position in a register (capture bounds, loop starts).
        case save(Int32)
        /// Forget the captures in registers `from..<to`.
        case clear(Int32, Int32)
        /// Fail when the position equals the register (an iteration that consumed nothing).
        case progressed(Int32)
        case backreference(Int32, backward: Bool)
        case lookaround(body: Int32, next: Int32, negated: Bool)
        /// The end of a lookaround body, or of the whole pattern.
        case succeed
    }

    var instructions: [Instruction] = []
    var sets: [ScalarSet] = []
    private(set) var table = ScalarSetTable([])
    let captureCount: Int
    /// Two registers per capture (0 is the whole match, unused), then one per nullable loop.
    var registerCount: Int
    let anchoredAtStart: Bool

    init(_ node: RegexNode, captures: Int) {
        captureCount = captures
        registerCount = 2 * (captures + 1)
        anchoredAtStart = node.isAnchoredAtStart
        emit(node, backward: false)
        _ = append(.succeed)
        table = ScalarSetTable(sets)
    }

    private mutating func append(_ instruction: Instruction) -> Int {
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func emit(_ node: RegexNode, backward: Bool) {
        switch node {
        case .empty:
            break
        case .scalar(let c):
            _ = append(.scalar(c, backward: backward))
        case .set(let set):
            sets.append(set)
            _ = append(.set(Int32(sets.count - 1), backward: backward))
        case .dot:
            _ = append(.dot(backward: backward))
        case .assertion(let a):
            _ = append(.assertion(a))
        case .concatenation(let items):
            for item in backward ? items.reversed() : items { emit(item, backward: backward) }
        case .alternation(let options):
            var exits: [Int] = []
            for (i, option) in options.enumerated() {
                if i == options.count - 1 {
                    emit(option, backward: backward)
                } else {
                    let split = append(.split(0, 0))
                    emit(option, backward: backward)
                    exits.append(append(.jump(0)))
                    instructions[split] = .split(Int32(split + 1), Int32(instructions.count))
                }
            }
            for exit in exits { instructions[exit] = .jump(Int32(instructions.count)) }
        case .group(let inner, let capture):
            guard let capture else {
                emit(inner, backward: backward)
                return
            }
            // Right to left, the group's end is reached first.
            _ = append(.save(Int32(2 * capture + (backward ? 1 : 0))))
            emit(inner, backward: backward)
            _ = append(.save(Int32(2 * capture + (backward ? 0 : 1))))
        case .backreference(let number):
            _ = append(.backreference(Int32(number), backward: backward))
        case .lookaround(let inner, let behind, let negated):
            let look = append(.lookaround(body: 0, next: 0, negated: negated))
            emit(inner, backward: behind)
            _ = append(.succeed)
            instructions[look] = .lookaround(body: Int32(look + 1), next: Int32(instructions.count), negated: negated)
        case .repetition(let inner, let min, let max, let greedy, let captures):
            emitRepetition(inner, min: min, max: max, greedy: greedy, captures: captures, backward: backward)
        }
    }

    private mutating func emitRepetition(
        _ inner: RegexNode, min: Int, max: Int?, greedy: Bool, captures: Range<Int>, backward: Bool
    ) {
        let clear: Instruction? = captures.isEmpty ? nil : .clear(Int32(2 * captures.lowerBound), Int32(2 * captures.upperBound))
        for _ in 0..<min {
            if let clear { _ = append(clear) }
            emit(inner, backward: backward)
        }
        // Iterations beyond the minimum must consume something (ECMA-262 RepeatMatcher).
        let register: Int32? = inner.isNullable ? Int32(registerCount) : nil
        if register != nil { registerCount += 1 }
        func optionalIteration(_ me: inout BacktrackingProgram) {
            if let clear { _ = me.append(clear) }
            if let register { _ = me.append(.save(register)) }
            me.emit(inner, backward: backward)
            if let register { _ = me.append(.progressed(register)) }
        }
        if let max {
            var splits: [Int] = []
            for _ in min..<max {
                splits.append(append(.split(0, 0)))
                optionalIteration(&self)
            }
            let end = Int32(instructions.count)
            for s in splits { instructions[s] = greedy ? .split(Int32(s + 1), end) : .split(end, Int32(s + 1)) }
        } else {
            let loop = append(.split(0, 0))
            optionalIteration(&self)
            _ = append(.jump(Int32(loop)))
            let end = Int32(instructions.count)
            instructions[loop] = greedy ? .split(Int32(loop + 1), end) : .split(end, Int32(loop + 1))
        }
    }

    // MARK: matching

    /// Whether the pattern matches anywhere in `string`.
    ///
    /// - Throws: `RegexError` (`tooComplex`) when the search needs more than `budget` steps.
    func matches(_ string: String, budget: inout Int, pattern: String) throws(RegexError) -> Bool {
        guard budget > 0 else { throw Self.outOfSteps(pattern) }
        var matcher = Matcher(program: self, input: string.unicodeScalars.map(\.value), budget: budget)
        defer { budget = max(0, matcher.steps) }
        let last = anchoredAtStart ? 0 : matcher.input.count
        for start in 0...last {
            matcher.registers.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
            matcher.stack.removeAll(keepingCapacity: true)
            guard let found = matcher.run(from: 0, at: start) else { throw Self.outOfSteps(pattern) }
            if found { return true }
        }
        return false
    }

    static func outOfSteps(_ pattern: String) -> RegexError {
        RegexError(
            code: .tooComplex,
            message: "the search ran out of its \(ECMARegex.stepBudget) steps: the pattern uses backreferences or lookaround, "
                + "which backtrack; simplify it, or drop the backreference or lookaround",
            pattern: pattern)
    }

    struct Matcher {
        let program: BacktrackingProgram
        let input: [UInt32]
        var steps: Int
        var registers: [Int]
        /// Alternatives to try (`pc >= 0`) and register values to restore (`pc = -1 - register`).
        var stack: [(pc: Int32, value: Int)] = []

        init(program: BacktrackingProgram, input: [UInt32], budget: Int) {
            self.program = program
            self.input = input
            self.steps = budget
            self.registers = Array(repeating: -1, count: program.registerCount)
        }

        @inline(__always)
        mutating func set(_ register: Int, _ value: Int) {
            stack.append((Int32(-1 - register), registers[register]))
            registers[register] = value
        }

        /// Runs from `pc` at `position` until a `succeed`; true if reached, false if every path
        /// failed (the stack is then back where it was), nil when the budget ran out.
        mutating func run(from startPC: Int, at position: Int) -> Bool? {
            let base = stack.count
            var pc = startPC
            var pos = position
            let n = input.count
            while true {
                steps -= 1
                if steps < 0 { return nil }
                var ok = true
                switch program.instructions[pc] {
                case .scalar(let c, let backward):
                    if backward {
                        ok = pos > 0 && input[pos - 1] == c
                        pos -= 1
                    } else {
                        ok = pos < n && input[pos] == c
                        pos += 1
                    }
                    pc += 1
                case .set(let s, let backward):
                    if backward {
                        ok = pos > 0 && program.table.contains(Int(s), input[pos - 1])
                        pos -= 1
                    } else {
                        ok = pos < n && program.table.contains(Int(s), input[pos])
                        pos += 1
                    }
                    pc += 1
                case .dot(let backward):
                    if backward {
                        ok = pos > 0 && !ScalarSet.isLineTerminator(input[pos - 1])
                        pos -= 1
                    } else {
                        ok = pos < n && !ScalarSet.isLineTerminator(input[pos])
                        pos += 1
                    }
                    pc += 1
                case .assertion(let a):
                    ok = a.holds(previous: pos > 0 ? input[pos - 1] : nil, next: pos < n ? input[pos] : nil)
                    pc += 1
                case .split(let first, let second):
                    stack.append((second, pos))
                    pc = Int(first)
                case .jump(let target):
                    pc = Int(target)
                case .save(let register):
                    set(Int(register), pos)
                    pc += 1
                case .clear(let from, let to):
                    for r in Int(from)..<Int(to) where registers[r] != -1 { set(r, -1) }
                    pc += 1
                case .progressed(let register):
                    ok = registers[Int(register)] != pos
                    pc += 1
                case .backreference(let group, let backward):
                    let start = registers[2 * Int(group)]
                    let end = registers[2 * Int(group) + 1]
                    pc += 1
                    // An unset capture matches the empty string.
                    guard start >= 0, end >= start else { break }
                    let length = end - start
                    steps -= length
                    if backward {
                        ok = pos - length >= 0 && input[(pos - length)..<pos].elementsEqual(input[start..<end])
                        pos -= length
                    } else {
                        ok = pos + length <= n && input[pos..<(pos + length)].elementsEqual(input[start..<end])
                        pos += length
                    }
                case .lookaround(let body, let next, let negated):
                    let mark = stack.count
                    guard let found = run(from: Int(body), at: pos) else { return nil }
                    if found {
                        // Atomic: drop the body's alternatives, keep its register changes for undoing.
                        var kept = mark
                        for i in mark..<stack.count where stack[i].pc < 0 {
                            stack[kept] = stack[i]
                            kept += 1
                        }
                        stack.removeSubrange(kept...)
                        if negated {
                            unwind(to: mark)
                            ok = false
                        }
                    } else {
                        ok = negated
                    }
                    pc = Int(next)
                case .succeed:
                    return true
                }
                if ok { continue }
                // Backtrack: restore registers until an alternative turns up.
                var resumed = false
                while stack.count > base {
                    let entry = stack.removeLast()
                    if entry.pc < 0 {
                        registers[Int(-1 - entry.pc)] = entry.value
                    } else {
                        pc = Int(entry.pc)
                        pos = entry.value
                        resumed = true
                        break
                    }
                }
                if !resumed { return false }
            }
        }

        mutating func unwind(to mark: Int) {
            while stack.count > mark {
                let entry = stack.removeLast()
                if entry.pc < 0 { registers[Int(-1 - entry.pc)] = entry.value }
            }
        }
    }
}
