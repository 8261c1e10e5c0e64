import Foundation
import KAMCore

/// `kam-bench regex`: worst search times of schema patterns on 10 kB inputs, and `uniqueItems` over 30,000 objects.
///
/// Targets (issue 10): any catastrophic pattern and any JSON Schema test-suite pattern on a 10 kB
/// string in < 10 ms; `uniqueItems` over 30,000 objects in < 100 ms. Each search is timed on a
/// fresh `ECMARegex` (cold: every DFA state is built during the search) and again (warm).
enum RegexBench {
    /// Nested quantifiers, overlapping alternations, `(.*x){n}` and friends.
    static let catastrophic = [
        "^(a+)+$", "^(a*)*$", "^(a|aa)+$", "^(a|a?)+$", "(a|aa)+!", "^(a+)+b$", "(x+x+)+y", "^(\\w+\\s?)*$",
        "^([a-z]+\\s*)*$", "^(\\d+|\\d+\\.\\d+)+$", "\\b(\\w+\\s+)+\\w+\\b!", "(.*a){25}", "(.*a){30}", "^(.*?,){30}P",
        "^(a?){25}a{25}$", "^(a{1,10}){1,10}$", "^(([a-z])+.)+[A-Z]([a-z])+$",
        "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
        "(?:\\s*,\\s*)*x", "^(\\s*a\\s*)*$", "(a|b|ab)*c", "^(.*)*@x", "^.*.*.*.*.*.*.*.*=$",
    ]

    /// Every `pattern` and `patternProperties` key of the JSON Schema Test Suite (draft 2020-12, with optional).
    static let conformance = [
        "X_", "[0-9]{2,}", "[a-z]cole", "\\p{Letter}cole", "\\wcole", "^.*bar$", "^\\D$", "^\\S$", "^\\W$", "^\\cC$",
        "^\\cc$", "^\\d$", "^\\d+$", "^\\p{Letter}+$", "^\\p{digit}+$", "^\\s$", "^\\t$", "^\\w$", "^a*$", "^a+$",
        "^abc$", "^bar", "^bar$", "^foo", "^v", "^á", "^🐲*$", "a*", "a+", "aaa*", "b.*", "f.*", "f.*o", "f.o", "foo", "x",
    ]

    /// The largest programs the limits admit (`maxProgramSize`, `maxActiveInstructions`):
    /// unanchored mandatory counts are the slow case, optional ones stay cheap.
    static let largest = ["^.{1,9999}$", ".{0,9998}x", "[a-z]{1,9999}!", ".{990}x", "\\w{990}\\b", "(?:a|b){249}x"]

    static func inputs() -> [String] {
        var generator = SystemRandomNumberGenerator()
        let a = String(repeating: "a", count: 10_000)
        return [
            a, a + "!", "!" + a, String(repeating: "ab", count: 5_000), String(repeating: "x", count: 10_000),
            String(repeating: "a ", count: 5_000) + "!", String(repeating: "1.", count: 5_000) + "!",
            String(repeating: ",", count: 10_000), String(repeating: "a@", count: 5_000),
            String(repeating: "Aa", count: 5_000) + "!", String(repeating: " ", count: 10_000) + "!",
            String((0..<10_000).map { _ in "ab x,!@1.=".randomElement(using: &generator)! }),
            String(repeating: "é🐲", count: 2_500),
        ]
    }

    struct Worst {
        var cold = 0.0
        var warm = 0.0
        var pattern = ""
        var searches = 0
    }

    /// The slowest (pattern, input) pair, each timed as the best of three runs so that a
    /// preemption on a loaded machine does not count as the engine's time.
    static func measure(_ patterns: [String], _ inputs: [String]) throws -> Worst {
        var worst = Worst()
        for pattern in patterns {
            for input in inputs {
                var cold = Double.infinity
                var warm = Double.infinity
                var answers: Set<Bool> = []
                for _ in 0..<3 {
                    let regex = try ECMARegex(pattern)
                    var t0 = now()
                    answers.insert(try regex.matches(input))
                    cold = min(cold, now() - t0)
                    t0 = now()
                    answers.insert(try regex.matches(input))
                    warm = min(warm, now() - t0)
                }
                guard answers.count == 1 else { throw ValidateBench.BenchError(message: "/\(pattern)/ answered differently") }
                if cold > worst.cold {
                    worst.cold = cold
                    worst.pattern = pattern
                }
                worst.warm = max(worst.warm, warm)
                worst.searches += 1
            }
        }
        return worst
    }

    static func results(_ name: String, _ worst: Worst) -> [BenchResult] {
        [
            BenchResult(benchmark: "regex", metric: "\(name)_worst_cold_10kB", value: worst.cold * 1e3, unit: "ms", n: worst.searches),
            BenchResult(benchmark: "regex", metric: "\(name)_worst_warm_10kB", value: worst.warm * 1e3, unit: "ms", n: worst.searches),
        ]
    }

    static let benchmark = Benchmark(
        name: "regex",
        summary: "worst search time of catastrophic, test-suite and largest patterns on 10 kB strings; uniqueItems over 30,000 objects"
    ) { _ in
        let inputs = inputs()
        var out: [BenchResult] = []
        let catastrophic = try measure(catastrophic, inputs)
        print("slowest catastrophic pattern: /\(catastrophic.pattern)/")
        out += results("catastrophic", catastrophic)
        out += results("conformance", try measure(conformance, inputs))
        let largest = try measure(largest, inputs)
        print("slowest of the largest admitted programs: /\(largest.pattern)/")
        out += results("largest_program", largest)

        // A backreference pattern that backtracks: the time until the step budget stops it.
        let backtracking = try ECMARegex("^(a+)+\\1$")
        let t0 = now()
        do {
            _ = try backtracking.matches(String(repeating: "a", count: 10_000) + "!")
            throw ValidateBench.BenchError(message: "the step budget did not stop ^(a+)+\\1$")
        } catch let error as RegexError where error.code == .tooComplex {
            out.append(BenchResult(benchmark: "regex", metric: "backtracking_budget_exhausted", value: (now() - t0) * 1e3, unit: "ms"))
        }

        out += try uniqueItems()
        return out
    }

    static func uniqueItems() throws -> [BenchResult] {
        let schema = try JSONSchema(["type": "array", "uniqueItems": true])
        var items: [JSONValue] = (0..<30_000).map { i in
            [
                "id": .string("client-\(i)"), "name": .string("Client \(i % 977)"), "revenue": .double(Double(i) * 10.5),
                "tags": ["customer", .int(Int64(i % 7))], "active": .bool(i % 2 == 0),
            ]
        }
        var distinct = Double.infinity
        for _ in 0..<3 {
            let t0 = now()
            guard schema.isValid(.array(items)) else { throw ValidateBench.BenchError(message: "distinct items rejected") }
            distinct = min(distinct, now() - t0)
        }
        // The first item again, last, with its members in another order and 0.0 written as 0.
        items.append(["active": true, "tags": ["customer", 0.0], "revenue": 0, "name": "Client 0", "id": "client-0"])
        var duplicate = Double.infinity
        for _ in 0..<3 {
            let t0 = now()
            let issues = schema.validate(.array(items))
            duplicate = min(duplicate, now() - t0)
            guard issues.count == 1 else { throw ValidateBench.BenchError(message: "the duplicate was not found: \(issues)") }
        }
        return [
            BenchResult(benchmark: "regex", metric: "unique_items_30000_distinct", value: distinct * 1e3, unit: "ms", n: 3),
            BenchResult(benchmark: "regex", metric: "unique_items_30000_duplicate_last", value: duplicate * 1e3, unit: "ms", n: 3),
        ]
    }
}
