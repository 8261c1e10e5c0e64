/// One variant's figures over a run: pass rate with its Wilson 95 % interval, mean score, cost,
/// latency percentiles, tokens, and the totals assertions report (precision, recall, F1 of extractions).
public struct EvalVariantSummary: Codable, Sendable, Hashable {
    public var variant: String
    public var promptVersion: String
    public var cases: Int
    public var passed: Int
    public var errors: Int
    public var refused: Int
    public var passRate: Double
    public var passRateLow: Double
    public var passRateHigh: Double
    public var meanScore: Double
    /// nil when some call's price was unknown.
    public var costTotalDollars: Double?
    public var costPerCaseDollars: Double?
    public var latencyP50Milliseconds: Double
    public var latencyP95Milliseconds: Double
    public var inputTokens: Int
    public var outputTokens: Int
    /// Summed counts and derived ratios (`action_items_precision`, `_recall`, `_f1`).
    public var metrics: [String: Double]

    public init(variant: String, results: [EvalResult]) {
        self.variant = variant
        promptVersion = results.first?.promptVersion ?? ""
        cases = results.count
        passed = results.filter(\.passed).count
        errors = results.filter { $0.error != nil }.count
        refused = results.filter(\.refused).count
        passRate = cases == 0 ? 0 : Double(passed) / Double(cases)
        (passRateLow, passRateHigh) = Statistics.wilson(successes: passed, trials: cases)
        meanScore = cases == 0 ? 0 : results.reduce(0) { $0 + $1.score } / Double(cases)
        if results.allSatisfy({ $0.costPicodollars != nil }) {
            let total = results.reduce(Int64(0)) { $0 + ($1.costPicodollars ?? 0) }
            costTotalDollars = Money(picodollars: total).dollars
            costPerCaseDollars = cases == 0 ? 0 : Money(picodollars: total).dollars / Double(cases)
        }
        let latencies = results.filter { !$0.refused }.map(\.latencyMilliseconds).sorted()
        latencyP50Milliseconds = latencies.isEmpty ? 0 : Statistics.quantile(latencies, 0.5)
        latencyP95Milliseconds = latencies.isEmpty ? 0 : Statistics.quantile(latencies, 0.95)
        inputTokens = results.reduce(0) { $0 + $1.inputTokens }
        outputTokens = results.reduce(0) { $0 + $1.outputTokens }
        var metrics: [String: Double] = [:]
        for result in results {
            for (key, value) in result.metrics { metrics[key, default: 0] += value }
        }
        for key in metrics.keys where key.hasSuffix("_tp") {
            let prefix = String(key.dropLast(3))
            let score = ExtractionScore(
                truePositives: Int(metrics[key] ?? 0), falsePositives: Int(metrics[prefix + "_fp"] ?? 0),
                falseNegatives: Int(metrics[prefix + "_fn"] ?? 0))
            metrics[prefix + "_precision"] = score.precision
            metrics[prefix + "_recall"] = score.recall
            metrics[prefix + "_f1"] = score.f1
        }
        self.metrics = metrics
    }

    /// The attempt failures counted in `metrics`: runaway answers stopped for repeating themselves and answers cut
    /// off at the output limit (a first attempt's and each repair's).
    public static let attemptFailureMetrics: [(code: String, metric: String)] = [
        ("output.degenerate", "attempts_degenerate"), ("output.truncated", "attempts_truncated"),
    ]

    /// The attempt-failure counts as one line (`degenerate attempts 3, truncated attempts 1`); nil when there were none.
    public var attemptFailures: String? {
        let parts = Self.attemptFailureMetrics.compactMap { entry -> String? in
            guard let count = metrics[entry.metric], count > 0 else { return nil }
            return "\(entry.metric.dropFirst("attempts_".count)) attempts \(Int(count))"
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// A figure by its gate name (`pass_rate`, `cost_per_case`, `action_items_f1`...).
    public func value(_ metric: String) -> Double? {
        switch metric {
        case "pass_rate": passRate
        case "pass_rate_low": passRateLow
        case "pass_rate_high": passRateHigh
        case "mean_score": meanScore
        case "cost_total": costTotalDollars
        case "cost_per_case": costPerCaseDollars
        case "latency_p50_ms": latencyP50Milliseconds
        case "latency_p95_ms": latencyP95Milliseconds
        case "input_tokens": Double(inputTokens)
        case "output_tokens": Double(outputTokens)
        case "errors": Double(errors)
        case "cases": Double(cases)
        case "passed": Double(passed)
        case "attempts_degenerate", "attempts_truncated": metrics[metric] ?? 0
        default: metrics[metric]
        }
    }
}

/// Two variants on the same cases: the paired difference, McNemar's exact test on pass/fail, a paired
/// bootstrap interval of the score difference, and the cases a suite needs to detect the difference seen.
public struct EvalComparison: Codable, Sendable, Hashable {
    public var baseline: String
    public var candidate: String
    /// Cases (× repeats) both variants answered.
    public var pairs: Int
    /// Pairs only the baseline passed, and only the candidate passed.
    public var baselineOnly: Int
    public var candidateOnly: Int
    /// Candidate pass rate minus baseline pass rate, on the pairs.
    public var passRateDifference: Double
    /// McNemar's exact two-sided p-value.
    public var pValue: Double
    public var scoreDifference: Double
    public var scoreDifferenceLow: Double
    public var scoreDifferenceHigh: Double
    /// Pairs needed to detect the observed discordance (α 0.05, power 80 %); nil when there is no difference.
    public var casesNeeded: Int?

    public init(baseline: String, candidate: String, results: [EvalResult]) {
        self.baseline = baseline
        self.candidate = candidate
        var a: [EvalResultKey: EvalResult] = [:]
        var b: [EvalResultKey: EvalResult] = [:]
        for result in results {
            let key = EvalResultKey(caseID: result.caseID, variant: "", repeatIndex: result.repeatIndex)
            if result.variant == baseline { a[key] = result }
            if result.variant == candidate { b[key] = result }
        }
        let keys = a.keys.filter { b[$0] != nil }.sorted()
        pairs = keys.count
        baselineOnly = keys.filter { a[$0]!.passed && !b[$0]!.passed }.count
        candidateOnly = keys.filter { !a[$0]!.passed && b[$0]!.passed }.count
        passRateDifference = pairs == 0 ? 0 : Double(candidateOnly - baselineOnly) / Double(pairs)
        pValue = Statistics.mcNemarExact(b: baselineOnly, c: candidateOnly)
        let scores = Statistics.pairedBootstrap(keys.map { a[$0]!.score }, keys.map { b[$0]!.score })
        (scoreDifference, scoreDifferenceLow, scoreDifferenceHigh) = (scores.mean, scores.low, scores.high)
        casesNeeded =
            pairs == 0
            ? nil : Statistics.casesNeeded(pB: Double(baselineOnly) / Double(pairs), pC: Double(candidateOnly) / Double(pairs))
    }

    public func value(_ metric: String) -> Double? {
        switch metric {
        case "p_value": pValue
        case "pass_rate_diff": passRateDifference
        case "score_diff": scoreDifference
        case "score_diff_low": scoreDifferenceLow
        case "score_diff_high": scoreDifferenceHigh
        case "cases_needed": casesNeeded.map(Double.init)
        default: nil
        }
    }
}
