import Foundation

/// What an assertion looks at: one answer and the case it answered.
public struct EvalSubject: Sendable {
    public var output: JSONValue?
    public var rawText: String
    public var schemaValid: Bool
    public var schemaIssues: [String]
    public var costPicodollars: Int64?
    public var latencyMilliseconds: Double
    public var evalCase: EvalCase
    public var facts: EvalFactIndex

    public init(
        output: JSONValue?, rawText: String, schemaValid: Bool, schemaIssues: [String] = [], costPicodollars: Int64?,
        latencyMilliseconds: Double, evalCase: EvalCase, facts: EvalFactIndex = EvalFactIndex()
    ) {
        self.output = output
        self.rawText = rawText
        self.schemaValid = schemaValid
        self.schemaIssues = schemaIssues
        self.costPicodollars = costPicodollars
        self.latencyMilliseconds = latencyMilliseconds
        self.evalCase = evalCase
        self.facts = facts
    }

    /// The value at a dotted path (`facts_used.0.fact`), or nil.
    public func value(at path: String) -> JSONValue? {
        var current = output
        for part in path.split(separator: ".") {
            guard let node = current else { return nil }
            if let index = Int(part), case .array(let items) = node {
                current = index < items.count ? items[index] : nil
            } else {
                current = node[String(part)]
            }
        }
        return current
    }

    /// The text an assertion reads: a field's text, or every string of the answer joined by newlines
    /// (the raw text when the answer is not JSON).
    public func text(_ field: String?) -> String {
        if let field { return value(at: field).map(Self.strings).map { $0.joined(separator: "\n") } ?? "" }
        guard let output else { return rawText }
        return Self.strings(output).joined(separator: "\n")
    }

    static func strings(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .array(let items): items.flatMap(strings)
        case .object(let fields): fields.keys.sorted().flatMap { strings(fields[$0]!) }
        case .int(let number): [String(number)]
        case .double(let number): [String(number)]
        case .bool(let flag): [String(flag)]
        case .null: []
        }
    }
}

/// Leftovers of an unfilled template.
let placeholderPatterns: [String] = [
    #"\[[A-Z][A-Za-z ]{0,30}\]"#, #"\{\{"#, #"\}\}"#, #"\bTODO\b"#, #"\bTBD\b"#, #"\bXXX\b"#, #"<[A-Z_ ]{3,30}>"#,
    #"\binsert [a-z ]{2,30} here\b"#,
]

extension EvalAssertion {
    /// The verdict for `subject` (every kind but the judge, which the engine runs).
    public func check(_ subject: EvalSubject) -> EvalAssertionOutcome {
        let (raw, detail, _) = evaluate(subject)
        let passed = negate ? !raw : raw
        return EvalAssertionOutcome(name: name, passed: passed, weight: weight, detail: negate ? "not: \(detail)" : detail)
    }

    /// Counts this assertion reports for the variant's totals (`NAME_tp`, `NAME_fp`, `NAME_fn`).
    public func metrics(_ subject: EvalSubject) -> [String: Double] {
        evaluate(subject).2
    }

    func expectedValues(_ values: Values, _ subject: EvalSubject) -> [JSONValue] {
        switch values {
        case .literal(let list): return list
        case .expected(let key):
            guard let value = subject.evalCase.expect[key] else { return [] }
            if case .array(let items) = value { return items }
            return [value]
        }
    }

    func evaluate(_ subject: EvalSubject) -> (Bool, String, [String: Double]) {
        switch kind {
        case .schemaValid:
            return (subject.schemaValid, subject.schemaValid ? "valid" : subject.schemaIssues.prefix(3).joined(separator: "; "), [:])
        case .fieldEquals(let field, let values):
            let wanted = expectedValues(values, subject)
            guard let actual = subject.value(at: field) else { return (false, "no field `\(field)`", [:]) }
            let ok = wanted.contains { Self.same($0, actual) }
            return (ok, "\(field) = \(actual.compactJSONText)\(ok ? "" : ", expected \(wanted.map(\.compactJSONText).joined(separator: " or "))")", [:])
        case .contains(let field, let values, let mode, let caseSensitive):
            let text = subject.text(field)
            let haystack = caseSensitive ? text : text.lowercased()
            let needles = expectedValues(values, subject).map { EvalSubject.strings($0).joined(separator: " ") }
            let found = needles.filter { haystack.contains(caseSensitive ? $0 : $0.lowercased()) }
            switch mode {
            case .any:
                return (!found.isEmpty, found.isEmpty ? "none of \(needles) found" : "found \(found.first!)", [:])
            case .all:
                let missing = needles.filter { !found.contains($0) }
                return (missing.isEmpty, missing.isEmpty ? "all found" : "missing \(missing)", [:])
            case .none:
                return (found.isEmpty, found.isEmpty ? "none found" : "found \(found)", [:])
            }
        case .regex(let field, let pattern, let caseSensitive):
            let text = subject.text(field)
            guard let regex = try? NSRegularExpression(pattern: pattern, options: caseSensitive ? [] : [.caseInsensitive]) else {
                return (false, "invalid pattern", [:])
            }
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
            let matched = match.flatMap { Range($0.range, in: text) }.map { String(text[$0]) }
            return (matched != nil, matched.map { "matched `\($0.prefix(60))`" } ?? "no match for /\(pattern)/", [:])
        case .wordCount(let field, let min, let max):
            let count = subject.text(field).split(whereSeparator: { $0.isWhitespace }).count
            let ok = (min.map { count >= $0 } ?? true) && (max.map { count <= $0 } ?? true)
            return (ok, "\(count) words (range \(min.map(String.init) ?? "")…\(max.map(String.init) ?? ""))", [:])
        case .mentionsFact(let field):
            guard let client = subject.evalCase.client else { return (false, "the case has no fixture client", [:]) }
            let mentioned = subject.facts.mentionedFacts(of: client, in: subject.text(field))
            return (!mentioned.isEmpty, mentioned.isEmpty ? "mentions none of the client's facts" : "mentions \(mentioned.first!)", [:])
        case .noCrossClientLeak(let field):
            let leaks = subject.facts.leaks(for: subject.evalCase.client, in: subject.text(field))
            return (leaks.isEmpty, leaks.isEmpty ? "no other client's facts" : "leaks \(leaks.prefix(3).joined(separator: ", "))", [:])
        case .noPlaceholders(let field):
            let text = subject.text(field)
            for pattern in placeholderPatterns {
                if let regex = try? NSRegularExpression(pattern: pattern),
                    let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                    let range = Range(match.range, in: text)
                {
                    return (false, "placeholder `\(text[range])` left", [:])
                }
            }
            return (true, "no placeholders", [:])
        case .costAtMost(let limit):
            guard let cost = subject.costPicodollars else { return (false, "cost unknown (model not in the price table)", [:]) }
            let money = Money(picodollars: cost)
            return (money <= limit, "cost \(money) (limit \(limit))", [:])
        case .latencyAtMost(let limit):
            return (subject.latencyMilliseconds <= limit, "latency \(Int(subject.latencyMilliseconds)) ms (limit \(Int(limit)) ms)", [:])
        case .judge:
            return (false, "judged by the engine", [:])
        case .extraction(let field, let itemField, let expectedKey, let minF1):
            let predicted = (subject.value(at: field)?.arrayValue ?? []).map { item -> String in
                if let itemField, let text = item[itemField] { return EvalSubject.strings(text).joined(separator: " ") }
                return EvalSubject.strings(item).joined(separator: " ")
            }
            let expected = subject.evalCase.expect[expectedKey]?.arrayValue ?? []
            let score = ExtractionScore.match(predicted: predicted, expected: expected)
            let metrics: [String: Double] = [
                "\(name)_tp": Double(score.truePositives), "\(name)_fp": Double(score.falsePositives),
                "\(name)_fn": Double(score.falseNegatives),
            ]
            let detail = String(
                format: "precision %.2f, recall %.2f, F1 %.2f (%d expected, %d extracted)", score.precision, score.recall,
                score.f1, expected.count, predicted.count)
            return (score.f1 >= minF1 - 1e-9, detail, metrics)
        }
    }

    /// Equal as JSON, numbers compared by value and strings case-insensitively.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        if let x = a.stringValue, let y = b.stringValue { return x.caseInsensitiveCompare(y) == .orderedSame }
        return a == b
    }
}

/// Precision, recall and F1 of extracted items against labelled ones.
///
/// A labelled item is a list of keywords (or one text): an extracted item matches it when it contains
/// any of its keywords, case-insensitively. Each extracted item matches at most one labelled item.
public struct ExtractionScore: Sendable, Hashable {
    public var truePositives: Int
    public var falsePositives: Int
    public var falseNegatives: Int

    public init(truePositives: Int, falsePositives: Int, falseNegatives: Int) {
        self.truePositives = truePositives
        self.falsePositives = falsePositives
        self.falseNegatives = falseNegatives
    }

    public var precision: Double { Self.ratio(truePositives, truePositives + falsePositives, empty: 1) }
    public var recall: Double { Self.ratio(truePositives, truePositives + falseNegatives, empty: 1) }
    public var f1: Double {
        let p = precision
        let r = recall
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    static func ratio(_ a: Int, _ b: Int, empty: Double) -> Double { b == 0 ? empty : Double(a) / Double(b) }

    public static func match(predicted: [String], expected: [JSONValue]) -> ExtractionScore {
        let keywordSets: [[String]] = expected.map { label in
            (label.arrayValue?.compactMap(\.stringValue) ?? [label.stringValue ?? label.compactJSONText]).map { $0.lowercased() }
        }
        var used = [Bool](repeating: false, count: keywordSets.count)
        var matched = 0
        for item in predicted.map({ $0.lowercased() }) {
            if let index = keywordSets.indices.first(where: { !used[$0] && keywordSets[$0].contains { item.contains($0) } }) {
                used[index] = true
                matched += 1
            }
        }
        return ExtractionScore(
            truePositives: matched, falsePositives: predicted.count - matched, falseNegatives: keywordSets.count - matched)
    }
}
