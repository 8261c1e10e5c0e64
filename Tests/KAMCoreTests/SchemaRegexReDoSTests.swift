import Testing

@testable import KAMCore

/// Catastrophic patterns on adversarial 10 kB inputs, and random patterns checked against two
/// other matchers. A backtracking engine would not finish this suite; the run time is the guard.
@Suite("SchemaRegexReDoS")
struct SchemaRegexReDoSTests {
    /// KAMCore's seeded generator, so a failure can be replayed.
    typealias Generator = SplitMix64

    /// A catastrophic pattern and what it means, written without a regular expression.
    struct Catastrophe: CustomStringConvertible, Sendable {
        var pattern: String
        var reference: @Sendable (String) -> Bool
        var description: String { pattern }
    }

    static func allA(_ s: String) -> Bool { s.utf8.allSatisfy { $0 == UInt8(ascii: "a") } }
    static func isWord(_ b: UInt8) -> Bool { RegexAssertion.isWord(UInt32(b)) }
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
    static func count(_ byte: Character, in s: String) -> Int { s.utf8.filter { $0 == byte.asciiValue! }.count }

    static var catastrophes: [Catastrophe] {
        var list: [Catastrophe] = [
            Catastrophe(pattern: "^(a+)+$") { !$0.isEmpty && allA($0) },
            Catastrophe(pattern: "^(a*)*$") { allA($0) },
            Catastrophe(pattern: "^(a+)*$") { allA($0) },
            Catastrophe(pattern: "^(a|aa)+$") { !$0.isEmpty && allA($0) },
            Catastrophe(pattern: "^(a|a?)+$") { allA($0) },
            Catastrophe(pattern: "^(?:a|a)*$") { allA($0) },
            Catastrophe(pattern: "(a|aa)+!") { $0.contains("a!") },
            Catastrophe(pattern: "^(a+)+b$") { s in s.count >= 2 && s.hasSuffix("b") && allA(String(s.dropLast())) },
            Catastrophe(pattern: "(x+x+)+y") { $0.contains("xxy") },
            Catastrophe(pattern: "^(a{1,10}){1,10}$") { s in (1...100).contains(s.utf8.count) && allA(s) },
            Catastrophe(pattern: "^(a?){25}a{25}$") { s in (25...50).contains(s.utf8.count) && allA(s) },
            Catastrophe(pattern: "^(\\w+\\s?)*$") { s in
                let b = Array(s.utf8)
                guard let first = b.first else { return true }
                guard isWord(first), b.allSatisfy({ isWord($0) || isSpace($0) }) else { return false }
                return !zip(b, b.dropFirst()).contains { isSpace($0) && isSpace($1) }
            },
            Catastrophe(pattern: "^([a-z]+\\s*)*$") { s in
                let b = Array(s.utf8)
                return (b.first.map { (0x61...0x7A).contains($0) } ?? true)
                    && b.allSatisfy { (0x61...0x7A).contains($0) || isSpace($0) }
            },
            Catastrophe(pattern: "^(\\d+|\\d+\\.\\d+)+$") { s in
                // Digit runs joined by dots; a run between two dots needs two digits (one for each token).
                let parts = s.split(separator: ".", omittingEmptySubsequences: false)
                let digitsOnly = parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }
                return digitsOnly && parts.dropFirst().dropLast().allSatisfy { $0.utf8.count >= 2 }
            },
            Catastrophe(pattern: "\\b(\\w+\\s+)+\\w+\\b!") { s in
                // Before some "!": word scalars, whitespace, word scalars.
                let b = Array(s.utf8)
                for bang in b.indices where b[bang] == UInt8(ascii: "!") {
                    var i = bang
                    while i > 0, isWord(b[i - 1]) { i -= 1 }
                    guard i < bang else { continue }
                    let wordStart = i
                    while i > 0, isSpace(b[i - 1]) { i -= 1 }
                    if i < wordStart, i > 0, isWord(b[i - 1]) { return true }
                }
                return false
            },
        ]
        for n in [2, 5, 10, 25, 30] {
            list.append(Catastrophe(pattern: "(.*a){\(n)}") { count("a", in: $0) >= n })
            list.append(Catastrophe(pattern: "^(.*?,){\(n)}P") { s in
                // A "P" right after a comma that is at least the n-th.
                var commas = 0
                var previous: UInt8 = 0
                for b in s.utf8 {
                    if commas >= n, previous == UInt8(ascii: ","), b == UInt8(ascii: "P") { return true }
                    if b == UInt8(ascii: ",") { commas += 1 }
                    previous = b
                }
                return false
            })
        }
        return list
    }

    static var adversarialInputs: [String] {
        var g = Generator(seed: 42)
        let a = String(repeating: "a", count: 10_000)
        let mixed = String((0..<10_000).map { _ in "aab x,!P1.9".randomElement(using: &g)! })
        let words = String((0..<2_000).map { _ in ["word", "a", "bc", " ", "  ", "x1"].randomElement(using: &g)! }.joined().prefix(10_000))
        return [
            a, a + "!", "!" + a, a + "b", String(repeating: "a", count: 37), "",
            String(repeating: "ab", count: 5_000), String(repeating: "x", count: 10_000) + "y", String(repeating: "x", count: 10_000),
            String(repeating: "a ", count: 5_000) + "!", String(repeating: "1.", count: 5_000) + "1",
            String(repeating: "1.", count: 5_000), String(repeating: ",", count: 10_000), String(repeating: "a,", count: 5_000) + "P",
            mixed, words, words + "!",
        ]
    }

    @Test("catastrophic patterns on 10 kB inputs give the reference's answer", arguments: catastrophes)
    func catastrophic(_ c: Catastrophe) throws {
        let regex = try ECMARegex(c.pattern)
        #expect(regex.isLinear)
        for input in Self.adversarialInputs {
            #expect(try regex.matches(input) == c.reference(input), "/\(c.pattern)/ on \(input.prefix(40).debugDescription)… (\(input.utf8.count) bytes)")
        }
    }

    @Test("catastrophic patterns in patternProperties, pattern and propertyNames validate in linear time")
    func inSchemas() throws {
        // Every other input keeps the debug-build run short; the test above has them all.
        let inputs = Self.adversarialInputs.enumerated().filter { $0.offset % 2 == 0 && !$0.element.isEmpty }.map(\.element)
        for c in Self.catastrophes {
            let schema = try JSONSchema([
                "type": "object",
                "patternProperties": [.init(stringLiteral: c.pattern): ["const": "hit"]],
                "additionalProperties": ["const": "miss"],
            ])
            for key in inputs {
                let expected: JSONValue = c.reference(key) ? "hit" : "miss"
                #expect(schema.isValid(.object([key: expected])), "/\(c.pattern)/ on key \(key.prefix(30).debugDescription)…")
                #expect(!schema.isValid(.object([key: expected == "hit" ? "miss" : "hit"])))
            }
            let strings = try JSONSchema(["items": ["pattern": .string(c.pattern)]])
            let issues = strings.validate(.array(inputs.map { .string($0) }))
            let failing = inputs.indices.filter { !c.reference(inputs[$0]) }.map { "/\($0)" }
            #expect(issues.map(\.instanceLocation).sorted() == failing.sorted(), "/\(c.pattern)/")
        }
    }

    // MARK: random patterns against Swift's Regex and the backtracking engine

    static func randomPattern(_ g: inout Generator, depth: Int = 0) -> String {
        let atoms = ["a", "b", "c", "[ab]", "[^a]", "\\w", ".", "(?:)", "[a-b]", "\\W"]
        func atom(_ g: inout Generator) -> String {
            if depth < 3, Int.random(in: 0..<4, using: &g) == 0 {
                let inner = randomPattern(&g, depth: depth + 1)
                return Bool.random(using: &g) ? "(\(inner))" : "(?:\(inner))"
            }
            return atoms.randomElement(using: &g)!
        }
        func quantified(_ g: inout Generator) -> String {
            let base = atom(&g)
            let quantifiers = ["", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}"]
            var q = quantifiers.randomElement(using: &g)!
            if !q.isEmpty, Int.random(in: 0..<4, using: &g) == 0 { q += "?" }
            return base + q
        }
        var alternatives: [String] = []
        for _ in 0..<(Int.random(in: 0..<5, using: &g) == 0 ? 2 : 1) {
            alternatives.append((0..<Int.random(in: 1...3, using: &g)).map { _ in quantified(&g) }.joined())
        }
        var pattern = alternatives.joined(separator: "|")
        if depth == 0 {
            if Bool.random(using: &g) { pattern = "^" + (alternatives.count > 1 ? "(?:\(pattern))" : pattern) }
            if Bool.random(using: &g) { pattern = (alternatives.count > 1 ? "(?:\(pattern))" : pattern) + "$" }
        }
        return pattern
    }

    static var shortInputs: [String] {
        var all: [String] = [""]
        var frontier: [String] = [""]
        for _ in 0..<4 {
            frontier = frontier.flatMap { s in ["a", "b", "c", "_", " "].map { s + $0 } }
            all += frontier
        }
        return all.filter { $0.count <= 3 || $0.hasPrefix("a") }
    }

    @Test("random patterns: automaton, backtracking engine and Swift Regex agree on short strings")
    func randomPatternsAgree() throws {
        var g = Generator(seed: 2026)
        let inputs = Self.shortInputs
        var compared = 0
        for _ in 0..<150 {
            let pattern = Self.randomPattern(&g)
            let automaton = try ECMARegex(pattern)
            let backtracking = try ECMARegex(pattern, backtracking: true)
            // Some random patterns backtrack exponentially even on four scalars. Swift's Regex
            // backtracks too (one took 25 s here), so it is asked only about patterns our
            // backtracking engine finishes within a small budget on every input.
            let backtracked = inputs.map { input -> Bool? in
                var budget = 20_000
                return try? backtracking.matches(input, budget: &budget)
            }
            let swift = backtracked.contains(nil)
                ? nil : try Regex(pattern).matchingSemantics(.unicodeScalar).asciiOnlyDigits().asciiOnlyWordCharacters()
            for (input, backtracked) in zip(inputs, backtracked) {
                let found = try automaton.matches(input)
                if let backtracked { #expect(found == backtracked, "/\(pattern)/ on \(input.debugDescription)") }
                if let swift {
                    #expect(found == input.contains(swift), "Swift Regex: /\(pattern)/ on \(input.debugDescription)")
                    compared += 1
                }
            }
        }
        #expect(compared > 30_000)
    }

    @Test("random nested patterns: automaton and backtracking engine agree on longer random strings")
    func nestedPatternsAgree() throws {
        var g = Generator(seed: 7)
        for _ in 0..<100 {
            let pattern = Self.randomPattern(&g)
            let automaton = try ECMARegex(pattern)
            let backtracking = try ECMARegex(pattern, backtracking: true)
            for _ in 0..<20 {
                let input = String((0..<Int.random(in: 0..<12, using: &g)).map { _ in "abc_ ".randomElement(using: &g)! })
                var budget = 20_000
                // Some random patterns backtrack exponentially even on 12 scalars; skip those the budget stops.
                guard let expected = try? backtracking.matches(input, budget: &budget) else { continue }
                #expect(try automaton.matches(input) == expected, "/\(pattern)/ on \(input.debugDescription)")
            }
        }
    }

    @Test("the automaton's cache is shared safely between concurrent searches")
    func concurrentSearches() async throws {
        let regex = try ECMARegex("^(a|aa)+(b|\\w)*$")
        let inputs = (0..<64).map { i in String(repeating: "a", count: 50 + i) + (i % 2 == 0 ? "b" : "!") }
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for (i, input) in inputs.enumerated() {
                group.addTask { (i, (try? regex.matches(input)) ?? false) }
            }
            var out: [Int: Bool] = [:]
            for await (i, r) in group { out[i] = r }
            return out
        }
        for i in inputs.indices { #expect(results[i] == (i % 2 == 0)) }
    }
}
