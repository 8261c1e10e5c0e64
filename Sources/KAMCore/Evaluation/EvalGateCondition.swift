import Foundation

/// One condition of a suite's gate: `candidate.pass_rate >= baseline.pass_rate - 0.02`, `p_value > 0.05`,
/// `candidate.cost_per_case <= 0.002`. `kam eval run` exits non-zero when any is false.
///
/// Terms are numbers, `VARIANT.METRIC` (pass_rate, pass_rate_low, pass_rate_high, mean_score, cost_total,
/// cost_per_case, latency_p50_ms, latency_p95_ms, input_tokens, output_tokens, errors, cases, and any metric an
/// assertion reports, like `action_items_f1`), a bare METRIC (the candidate's), or a comparison figure
/// between baseline and candidate (`p_value`, `pass_rate_diff`, `score_diff`, `score_diff_low`,
/// `score_diff_high`, `cases_needed`), joined with `+ - * /` and compared with `>= <= > < == !=`.
public struct EvalGateCondition: Sendable, Hashable {
    public var text: String
    public var left: Expression
    public var comparison: Comparison
    public var right: Expression
    public var location: String

    public indirect enum Expression: Sendable, Hashable {
        case number(Double)
        case term(String)
        case binary(Character, Expression, Expression)
    }

    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case greaterOrEqual = ">=", lessOrEqual = "<=", greater = ">", less = "<", equal = "==", notEqual = "!="

        func holds(_ a: Double, _ b: Double) -> Bool {
            switch self {
            case .greaterOrEqual: a >= b - 1e-12
            case .lessOrEqual: a <= b + 1e-12
            case .greater: a > b
            case .less: a < b
            case .equal: abs(a - b) < 1e-12
            case .notEqual: abs(a - b) >= 1e-12
            }
        }
    }

    public static let variantMetrics: Set<String> = [
        "pass_rate", "pass_rate_low", "pass_rate_high", "mean_score", "cost_total", "cost_per_case",
        "latency_p50_ms", "latency_p95_ms", "input_tokens", "output_tokens", "errors", "cases", "passed",
    ]
    public static let comparisonMetrics: Set<String> = [
        "p_value", "pass_rate_diff", "score_diff", "score_diff_low", "score_diff_high", "cases_needed",
    ]

    /// Parses a condition; `nil` and a message when it is not one.
    public static func parse(_ text: String, location: String = "") -> Result<EvalGateCondition, GateSyntaxError> {
        var parser = Parser(text: text)
        do {
            let left = try parser.expression()
            let comparison = try parser.comparison()
            let right = try parser.expression()
            guard parser.atEnd else { throw GateSyntaxError(message: "unexpected `\(parser.rest)`") }
            return .success(
                EvalGateCondition(text: text, left: left, comparison: comparison, right: right, location: location))
        } catch let error as GateSyntaxError {
            return .failure(error)
        } catch {
            return .failure(GateSyntaxError(message: "\(error)"))
        }
    }

    /// Every `VARIANT.METRIC` or `METRIC` term, to check names when the suite is loaded.
    public var terms: [String] { left.terms + right.terms }

    public struct GateSyntaxError: Error, Sendable {
        public var message: String
    }

    struct Parser {
        var characters: [Character]
        var index = 0
        init(text: String) { characters = Array(text) }

        var atEnd: Bool {
            mutating get {
                skipSpaces()
                return index == characters.count
            }
        }
        var rest: String { String(characters[index...]) }

        mutating func skipSpaces() {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
        }

        mutating func expression() throws -> Expression {
            var value = try product()
            while true {
                skipSpaces()
                guard index < characters.count, characters[index] == "+" || characters[index] == "-" else { return value }
                let op = characters[index]
                index += 1
                value = .binary(op, value, try product())
            }
        }

        mutating func product() throws -> Expression {
            var value = try primary()
            while true {
                skipSpaces()
                guard index < characters.count, characters[index] == "*" || characters[index] == "/" else { return value }
                let op = characters[index]
                index += 1
                value = .binary(op, value, try primary())
            }
        }

        mutating func primary() throws -> Expression {
            skipSpaces()
            guard index < characters.count else { throw GateSyntaxError(message: "expected a number or a metric at the end") }
            let c = characters[index]
            if c == "(" {
                index += 1
                let inner = try expression()
                skipSpaces()
                guard index < characters.count, characters[index] == ")" else { throw GateSyntaxError(message: "missing `)`") }
                index += 1
                return inner
            }
            if c.isNumber || c == "." || c == "-" {
                let start = index
                index += 1
                while index < characters.count, characters[index].isNumber || characters[index] == "." || characters[index] == "_" {
                    index += 1
                }
                let text = String(characters[start..<index]).replacingOccurrences(of: "_", with: "")
                guard let value = Double(text) else { throw GateSyntaxError(message: "`\(text)` is not a number") }
                return .number(value)
            }
            if c.isLetter || c == "_" {
                let start = index
                while index < characters.count,
                    characters[index].isLetter || characters[index].isNumber || "_.-".contains(characters[index])
                {
                    // A '-' followed by a space or digit is subtraction, not part of a variant name.
                    if characters[index] == "-",
                        index + 1 >= characters.count || characters[index + 1].isWhitespace || characters[index + 1].isNumber
                    {
                        break
                    }
                    index += 1
                }
                return .term(String(characters[start..<index]))
            }
            throw GateSyntaxError(message: "unexpected `\(c)`; expected a number or a metric like candidate.pass_rate")
        }

        mutating func comparison() throws -> Comparison {
            skipSpaces()
            for candidate in [Comparison.greaterOrEqual, .lessOrEqual, .equal, .notEqual, .greater, .less] {
                let symbol = Array(candidate.rawValue)
                if index + symbol.count <= characters.count, Array(characters[index..<index + symbol.count]) == symbol {
                    index += symbol.count
                    return candidate
                }
            }
            throw GateSyntaxError(message: "expected a comparison (>=, <=, >, <, ==, !=) after `\(String(characters[..<index]))`")
        }
    }
}

extension EvalGateCondition.Expression {
    var terms: [String] {
        switch self {
        case .number: []
        case .term(let name): [name]
        case .binary(_, let a, let b): a.terms + b.terms
        }
    }

    /// The value, with `lookup` giving each term; nil when a term has no value (no comparison, unknown cost).
    func evaluate(_ lookup: (String) -> Double?) -> Double? {
        switch self {
        case .number(let value): return value
        case .term(let name): return lookup(name)
        case .binary(let op, let a, let b):
            guard let x = a.evaluate(lookup), let y = b.evaluate(lookup) else { return nil }
            switch op {
            case "+": return x + y
            case "-": return x - y
            case "*": return x * y
            default: return y == 0 ? nil : x / y
            }
        }
    }
}
