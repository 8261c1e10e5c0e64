/// Whether a proposal beats the version it was refined from, by the paired statistics of the evaluation.
///
/// A proposal wins only when it passes more paired cases than `from` and the difference is unlikely to be chance:
/// McNemar's exact p-value under `alpha`, or the paired bootstrap's 95 % interval of the score difference above zero.
/// Among the proposals that win, the best is the one with the largest pass-rate difference, then score difference.
///
/// For example:
/// ```swift
/// let comparison = EvalComparison(baseline: "from", candidate: "proposal-3", results: both)
/// RefinementVerdict.beats(comparison)        // true: 6 cases fixed, none broken, p = 0.031
/// ```
public enum RefinementVerdict {
    /// True when `comparison`'s candidate beats its baseline.
    public static func beats(_ comparison: EvalComparison, alpha: Double = 0.05) -> Bool {
        guard comparison.pairs > 0, comparison.candidateOnly > comparison.baselineOnly else { return false }
        return comparison.pValue < alpha || comparison.scoreDifferenceLow > 0
    }

    /// The index of the best proposal that beats its baseline, or nil when none does.
    public static func winner(_ comparisons: [EvalComparison], alpha: Double = 0.05) -> Int? {
        comparisons.indices.filter { beats(comparisons[$0], alpha: alpha) }.max { a, b in
            let (x, y) = (comparisons[a], comparisons[b])
            if x.passRateDifference != y.passRateDifference { return x.passRateDifference < y.passRateDifference }
            if x.scoreDifference != y.scoreDifference { return x.scoreDifference < y.scoreDifference }
            return a > b
        }
    }
}
