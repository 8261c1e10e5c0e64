/// A small backtracking matcher for the ASCII subset of ECMA-262 patterns that schemas mostly use.
///
/// Swift's `Regex` costs about a microsecond per match even for `^(deal|task):[a-z0-9_]+$`, which
/// dominated output validation. Patterns made of ASCII literals, `.`, classes, `\d` `\w` `\D` `\W`,
/// groups, alternation, quantifiers and `^`/`$` are compiled here into a tiny program run over the
/// UTF-8 bytes; anything else (look-around, back-references, `\s`, `\b`, `\p{…}`, non-ASCII
/// literals) returns nil from `init`, and `SchemaPattern` uses Swift's `Regex` instead.
struct SimpleRegex: Sendable {
    enum Instruction: Sendable {
        case byte(UInt8)
        /// ASCII bitmap; `negated` also matches any non-ASCII code point.
        case set(UInt64, UInt64, negated: Bool)
        /// Any code point except line terminators.
        case any
        case split(Int, Int)
        case jump(Int)
        case start
        case end
        case match
    }

    indirect enum Node {
        case sequence([Node])
        case alternation([Node])
        case byte(UInt8)
        case set(UInt64, UInt64, negated: Bool)
        case any
        case start
        case end
        case repeated(Node, min: Int, max: Int?, greedy: Bool)
    }

    let program: [Instruction]
    let anchoredAtStart: Bool

    init?(_ pattern: String) {
        guard pattern.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        var parser = Parser(bytes: Array(pattern.utf8))
        guard let node = parser.parseAlternation(), parser.index == parser.bytes.count else { return nil }
        var code: [Instruction] = []
        guard Self.emit(node, into: &code), code.count < 4_000 else { return nil }
        code.append(.match)
        program = code
        if case .sequence(let items) = node, case .start? = items.first { anchoredAtStart = true } else { anchoredAtStart = false }
    }

    /// Searches `string` for a match; nil when the backtracking budget runs out (the caller falls back).
    func matches(_ string: String) -> Bool? {
        var string = string
        return string.withUTF8 { bytes -> Bool? in
            var stack: [(Int, Int)] = []
            var budget = 200_000
            var start = 0
            while start <= bytes.count {
                switch run(bytes, from: start, stack: &stack, budget: &budget) {
                case true?: return true
                case nil: return nil
                case false?: break
                }
                if anchoredAtStart || start == bytes.count { return false }
                start += Self.scalarLength(bytes[start])
            }
            return false
        }
    }

    @inline(__always)
    static func scalarLength(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    private func run(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, stack: inout [(Int, Int)], budget: inout Int) -> Bool? {
        stack.removeAll(keepingCapacity: true)
        stack.append((0, start))
        let n = bytes.count
        while let (initialPC, initialPos) = stack.popLast() {
            var pc = initialPC
            var pos = initialPos
            thread: while true {
                budget -= 1
                if budget < 0 { return nil }
                switch program[pc] {
                case .byte(let b):
                    guard pos < n, bytes[pos] == b else { break thread }
                    pc += 1
                    pos += 1
                case .set(let low, let high, let negated):
                    guard pos < n else { break thread }
                    let b = bytes[pos]
                    if b < 0x80 {
                        let bit = b < 64 ? (low >> UInt64(b)) & 1 : (high >> UInt64(b - 64)) & 1
                        guard (bit == 1) != negated else { break thread }
                        pos += 1
                    } else {
                        guard negated else { break thread }
                        pos += Self.scalarLength(b)
                    }
                    pc += 1
                case .any:
                    guard pos < n else { break thread }
                    let b = bytes[pos]
                    if b == 0x0A || b == 0x0D { break thread }
                    // U+2028 / U+2029 (E2 80 A8 / E2 80 A9) are line terminators too.
                    if b == 0xE2, pos + 2 < n, bytes[pos + 1] == 0x80, bytes[pos + 2] == 0xA8 || bytes[pos + 2] == 0xA9 { break thread }
                    pos += Self.scalarLength(b)
                    pc += 1
                case .split(let first, let second):
                    stack.append((second, pos))
                    pc = first
                case .jump(let target):
                    pc = target
                case .start:
                    guard pos == 0 else { break thread }
                    pc += 1
                case .end:
                    guard pos == n else { break thread }
                    pc += 1
                case .match:
                    return true
                }
            }
        }
        return false
    }

    private static func nullable(_ node: Node) -> Bool {
        switch node {
        case .sequence(let items): return items.allSatisfy(nullable)
        case .alternation(let items): return items.contains(where: nullable)
        case .byte, .set, .any: return false
        case .start, .end: return true
        case .repeated(let inner, let min, _, _): return min == 0 || nullable(inner)
        }
    }

    private static func emit(_ node: Node, into code: inout [Instruction]) -> Bool {
        guard code.count < 4_000 else { return false }
        switch node {
        case .sequence(let items):
            for item in items where !emit(item, into: &code) { return false }
        case .alternation(let options):
            var jumps: [Int] = []
            for (i, option) in options.enumerated() {
                if i < options.count - 1 {
                    let split = code.count
                    code.append(.split(split + 1, 0))
                    guard emit(option, into: &code) else { return false }
                    jumps.append(code.count)
                    code.append(.jump(0))
                    code[split] = .split(split + 1, code.count)
                } else {
                    guard emit(option, into: &code) else { return false }
                }
            }
            for j in jumps { code[j] = .jump(code.count) }
        case .byte(let b): code.append(.byte(b))
        case .set(let low, let high, let negated): code.append(.set(low, high, negated: negated))
        case .any: code.append(.any)
        case .start: code.append(.start)
        case .end: code.append(.end)
        case .repeated(let inner, let min, let max, let greedy):
            // An unbounded loop over something that can match empty would spin: leave it to Regex.
            if max == nil && nullable(inner) { return false }
            for _ in 0..<min where !emit(inner, into: &code) { return false }
            if let max {
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(code.count)
                    code.append(.split(0, 0))
                    guard emit(inner, into: &code) else { return false }
                }
                for s in splits { code[s] = greedy ? .split(s + 1, code.count) : .split(code.count, s + 1) }
            } else {
                let loop = code.count
                code.append(.split(0, 0))
                guard emit(inner, into: &code) else { return false }
                code.append(.jump(loop))
                code[loop] = greedy ? .split(loop + 1, code.count) : .split(code.count, loop + 1)
            }
        }
        return true
    }

    struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func parseAlternation() -> Node? {
            var options: [Node] = []
            guard let first = parseSequence() else { return nil }
            options.append(first)
            while index < bytes.count, bytes[index] == UInt8(ascii: "|") {
                index += 1
                guard let next = parseSequence() else { return nil }
                options.append(next)
            }
            return options.count == 1 ? options[0] : .alternation(options)
        }

        mutating func parseSequence() -> Node? {
            var items: [Node] = []
            while index < bytes.count, bytes[index] != UInt8(ascii: "|"), bytes[index] != UInt8(ascii: ")") {
                guard let atom = parseAtom() else { return nil }
                guard let quantified = parseQuantifier(atom) else { return nil }
                items.append(quantified)
            }
            return .sequence(items)
        }

        mutating func parseQuantifier(_ atom: Node) -> Node? {
            guard index < bytes.count else { return atom }
            var min = 0
            var max: Int?
            switch bytes[index] {
            case UInt8(ascii: "*"): index += 1
            case UInt8(ascii: "+"): min = 1; index += 1
            case UInt8(ascii: "?"): max = 1; index += 1
            case UInt8(ascii: "{"):
                index += 1
                guard let low = number() else { return nil }
                min = low
                max = low
                if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    max = number()
                }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "}") else { return nil }
                index += 1
                if let m = max, m < min || m > 1_000 { return nil }
                if min > 1_000 { return nil }
            default:
                return atom
            }
            if case .start = atom { return nil }
            if case .end = atom { return nil }
            var greedy = true
            if index < bytes.count, bytes[index] == UInt8(ascii: "?") {
                greedy = false
                index += 1
            }
            return .repeated(atom, min: min, max: max, greedy: greedy)
        }

        mutating func number() -> Int? {
            var value: Int?
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                value = (value ?? 0) * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                if value! > 100_000 { return nil }
                index += 1
            }
            return value
        }

        mutating func parseAtom() -> Node? {
            let c = bytes[index]
            index += 1
            switch c {
            case UInt8(ascii: "("):
                if index < bytes.count, bytes[index] == UInt8(ascii: "?") {
                    guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ":") else { return nil }
                    index += 2
                }
                guard let inner = parseAlternation(), index < bytes.count, bytes[index] == UInt8(ascii: ")") else { return nil }
                index += 1
                return inner
            case UInt8(ascii: "["): return parseClass()
            case UInt8(ascii: "."): return .any
            case UInt8(ascii: "^"): return .start
            case UInt8(ascii: "$"): return .end
            case UInt8(ascii: "\\"): return parseEscape(inClass: false).map { $0.node }
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "]"):
                return nil
            default: return .byte(c)
            }
        }

        /// An escape: a single byte, or a class (`\d`, `\w`, `\D`, `\W`).
        mutating func parseEscape(inClass: Bool) -> (node: Node, byte: UInt8?)? {
            guard index < bytes.count else { return nil }
            let e = bytes[index]
            index += 1
            let digits = Self.bitmap([UInt8(ascii: "0")...UInt8(ascii: "9")])
            let word = Self.bitmap([
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "_")...UInt8(ascii: "_"),
            ])
            switch e {
            case UInt8(ascii: "d"): return (.set(digits.0, digits.1, negated: false), nil)
            case UInt8(ascii: "w"): return (.set(word.0, word.1, negated: false), nil)
            case UInt8(ascii: "D"): return inClass ? nil : (.set(digits.0, digits.1, negated: true), nil)
            case UInt8(ascii: "W"): return inClass ? nil : (.set(word.0, word.1, negated: true), nil)
            case UInt8(ascii: "n"): return (.byte(0x0A), 0x0A)
            case UInt8(ascii: "t"): return (.byte(0x09), 0x09)
            case UInt8(ascii: "r"): return (.byte(0x0D), 0x0D)
            case UInt8(ascii: "f"): return (.byte(0x0C), 0x0C)
            case UInt8(ascii: "v"): return (.byte(0x0B), 0x0B)
            default:
                // Escaped punctuation is a literal; letters and digits have meanings this matcher leaves to Regex.
                let isPunctuation = (e >= 0x21 && e <= 0x2F) || (e >= 0x3A && e <= 0x40) || (e >= 0x5B && e <= 0x60) || (e >= 0x7B && e <= 0x7E)
                return isPunctuation ? (.byte(e), e) : nil
            }
        }

        static func bitmap(_ ranges: [ClosedRange<UInt8>]) -> (UInt64, UInt64) {
            var low: UInt64 = 0
            var high: UInt64 = 0
            for range in ranges {
                for b in range where b < 0x80 {
                    if b < 64 { low |= 1 << UInt64(b) } else { high |= 1 << UInt64(b - 64) }
                }
            }
            return (low, high)
        }

        mutating func parseClass() -> Node? {
            var negated = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "^") {
                negated = true
                index += 1
            }
            var low: UInt64 = 0
            var high: UInt64 = 0
            var first = true
            while index < bytes.count {
                var c = bytes[index]
                if c == UInt8(ascii: "]") && !first {
                    index += 1
                    return .set(low, high, negated: negated)
                }
                if c == UInt8(ascii: "]") { return nil }  // `[]` and `[^]` mean something special in ECMA-262
                first = false
                index += 1
                if c == UInt8(ascii: "[") { return nil }
                if c == UInt8(ascii: "\\") {
                    guard let (node, byte) = parseEscape(inClass: true) else { return nil }
                    if let byte {
                        c = byte
                    } else {
                        guard case .set(let l, let h, _) = node else { return nil }
                        low |= l
                        high |= h
                        continue
                    }
                }
                var upper = c
                if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] != UInt8(ascii: "]") {
                    index += 1
                    var u = bytes[index]
                    index += 1
                    if u == UInt8(ascii: "\\") {
                        guard let (_, byte) = parseEscape(inClass: true), let byte else { return nil }
                        u = byte
                    } else if u == UInt8(ascii: "[") {
                        return nil
                    }
                    guard u >= c else { return nil }
                    upper = u
                }
                let bits = Self.bitmap([c...upper])
                low |= bits.0
                high |= bits.1
            }
            return nil
        }
    }
}
