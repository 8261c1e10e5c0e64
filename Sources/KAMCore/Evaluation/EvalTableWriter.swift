import Foundation

/// The terminal summary of a run: one row per variant, the paired comparison, and the gate.
public enum EvalTableWriter {
    public static func text(_ report: EvalReport) -> String {
        var rows: [[String]] = [["variant", "version", "pass rate", "95% CI", "score", "cost", "cost/case", "p50 ms", "p95 ms", "tokens in/out", "errors"]]
        for v in report.variants {
            rows.append([
                v.variant, v.promptVersion, "\(v.passed)/\(v.cases) " + percent(v.passRate),
                "\(percent(v.passRateLow))–\(percent(v.passRateHigh))", String(format: "%.3f", v.meanScore),
                dollars(v.costTotalDollars), dollars(v.costPerCaseDollars), String(format: "%.0f", v.latencyP50Milliseconds),
                String(format: "%.0f", v.latencyP95Milliseconds), "\(v.inputTokens)/\(v.outputTokens)", "\(v.errors)",
            ])
        }
        var lines = ["suite \(report.suite) (\(report.promptID)), run \(report.runID)"]
        lines += table(rows)
        for v in report.variants {
            let extra = v.metrics.keys.filter { $0.hasSuffix("_precision") || $0.hasSuffix("_recall") || $0.hasSuffix("_f1") }.sorted()
            if !extra.isEmpty {
                lines.append("  \(v.variant): " + extra.map { "\($0) \(String(format: "%.3f", v.metrics[$0]!))" }.joined(separator: ", "))
            }
            if let failures = v.attemptFailures { lines.append("  \(v.variant): \(failures)") }
        }
        if let c = report.comparison {
            var line = "\(c.candidate) vs \(c.baseline) on \(c.pairs) pairs: pass rate \(signed(c.passRateDifference * 100)) pts"
            line += " (only \(c.baseline) passed \(c.baselineOnly), only \(c.candidate) passed \(c.candidateOnly); McNemar p = \(String(format: "%.3f", c.pValue)))"
            lines.append(line)
            lines.append(
                "  score difference \(String(format: "%+.3f", c.scoreDifference)) [95% bootstrap \(String(format: "%+.3f", c.scoreDifferenceLow)), \(String(format: "%+.3f", c.scoreDifferenceHigh))]; "
                    + (c.casesNeeded.map { "about \($0) paired cases needed to detect a difference this size" + ($0 > c.pairs ? " — this suite is too small" : "") } ?? "no difference to detect"))
        }
        if !report.complete { lines.append("incomplete: not every case has a result (resume with --resume)") }
        for outcome in report.gate {
            var line = "gate \(outcome.passed ? "PASS" : "FAIL"): \(outcome.condition)"
            if let l = outcome.left, let r = outcome.right { line += "  (\(format(l)) vs \(format(r)))" }
            if let note = outcome.note { line += "  \(note)" }
            lines.append(line)
        }
        lines.append(report.gatePassed ? "gate passed" : "gate FAILED")
        return lines.joined(separator: "\n")
    }

    static func table(_ rows: [[String]]) -> [String] {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
    }

    public static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
    static func signed(_ value: Double) -> String { String(format: "%+.1f", value) }
    public static func dollars(_ value: Double?) -> String {
        guard let value else { return "unknown" }
        return value == 0 ? "$0" : String(format: value < 0.01 ? "$%.6f" : "$%.4f", value)
    }
    public static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.4f", value)
    }
}
