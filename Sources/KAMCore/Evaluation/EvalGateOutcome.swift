/// A gate condition checked against a run's figures.
public struct EvalGateOutcome: Codable, Sendable, Hashable {
    public var condition: String
    public var passed: Bool
    public var left: Double?
    public var right: Double?
    /// Why it failed when a figure was missing (unknown cost, no comparison).
    public var note: String?

    public init(condition: String, passed: Bool, left: Double?, right: Double?, note: String? = nil) {
        self.condition = condition
        self.passed = passed
        self.left = left
        self.right = right
        self.note = note
    }
}

extension EvalGateCondition {
    /// Checks the condition; a figure that has no value (unknown cost) fails it, with a note.
    public func check(summaries: [String: EvalVariantSummary], comparison: EvalComparison?, candidate: String) -> EvalGateOutcome {
        var missing: [String] = []
        let lookup: (String) -> Double? = { term in
            let value: Double?
            if let dot = term.lastIndex(of: ".") {
                value = summaries[String(term[..<dot])]?.value(String(term[term.index(after: dot)...]))
            } else if EvalGateCondition.comparisonMetrics.contains(term) {
                value = comparison?.value(term)
            } else {
                value = summaries[candidate]?.value(term)
            }
            if value == nil { missing.append(term) }
            return value
        }
        let left = self.left.evaluate(lookup)
        let right = self.right.evaluate(lookup)
        guard let left, let right else {
            return EvalGateOutcome(
                condition: text, passed: false, left: left, right: right,
                note: "no value for \(missing.joined(separator: ", ")) (unknown price, or no paired comparison)")
        }
        return EvalGateOutcome(condition: text, passed: comparison_(left, right), left: left, right: right)
    }

    private func comparison_(_ a: Double, _ b: Double) -> Bool { comparison.holds(a, b) }
}
