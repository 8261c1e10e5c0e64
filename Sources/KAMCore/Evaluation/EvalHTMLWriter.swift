import Foundation

/// A self-contained HTML report (inline CSS and SVG, no scripts or external assets): the summary,
/// charts of pass rate (with 95 % intervals) and cost per case per variant, the gate, and the
/// side-by-side matrix of every case with each output and its failed assertions highlighted.
public enum EvalHTMLWriter {
    public static func html(_ report: EvalReport) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(report.suite)) — eval run \(e(report.runID))</title>
            <style>
            body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d2330;background:#fafbfc}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
            .meta{color:#5b6472;font-size:13px}
            table{border-collapse:collapse;font-size:13px;background:#fff}
            th,td{border:1px solid #d9dee5;padding:6px 8px;vertical-align:top;text-align:left}
            th{background:#eef1f5}
            .pass{color:#0a7a34;font-weight:600}.fail{color:#b42318;font-weight:600}
            .badge{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;font-weight:600}
            .badge.pass{background:#dcf5e4}.badge.fail{background:#fde4e1}
            .failed{background:#fff1ef}
            ul.assert{margin:4px 0 0 0;padding-left:16px}ul.assert li.bad{color:#b42318;font-weight:600}
            ul.assert li.ok{color:#5b6472}
            pre{white-space:pre-wrap;word-break:break-word;max-width:520px;font-size:12px;background:#f4f6f8;padding:6px;margin:4px 0}
            .charts{display:flex;gap:32px;flex-wrap:wrap}
            .gate{font-weight:600}
            </style></head><body>
            <h1>\(e(report.suite)) <span class="meta">\(e(report.promptID))</span></h1>
            <div class="meta">run \(e(report.runID)) · \(e(ISO8601DateFormatter().string(from: report.createdAt))) · \(report.cases.count) cases · \(report.complete ? "complete" : "incomplete")</div>
            <p class="gate \(report.gatePassed ? "pass" : "fail")">Gate \(report.gatePassed ? "passed" : "FAILED")</p>

            """
        out += summaryTable(report)
        out += "<h2>Charts</h2><div class=\"charts\">"
        out += passRateChart(report.variants)
        out += costChart(report.variants)
        out += "</div>"
        out += comparison(report)
        out += gate(report)
        out += matrix(report)
        out += "</body></html>\n"
        return out
    }

    static func summaryTable(_ report: EvalReport) -> String {
        var out = "<h2>Variants</h2><table><tr><th>variant</th><th>version</th><th>pass rate</th><th>95% CI</th><th>mean score</th><th>cost total</th><th>cost / case</th><th>latency p50</th><th>p95</th><th>tokens in / out</th><th>errors</th></tr>"
        for v in report.variants {
            out += "<tr><td>\(e(v.variant))</td><td>\(e(v.promptVersion))</td><td>\(v.passed)/\(v.cases) (\(EvalTableWriter.percent(v.passRate)))</td>"
            out += "<td>\(EvalTableWriter.percent(v.passRateLow))–\(EvalTableWriter.percent(v.passRateHigh))</td><td>\(String(format: "%.3f", v.meanScore))</td>"
            out += "<td>\(EvalTableWriter.dollars(v.costTotalDollars))</td><td>\(EvalTableWriter.dollars(v.costPerCaseDollars))</td>"
            out += "<td>\(Int(v.latencyP50Milliseconds)) ms</td><td>\(Int(v.latencyP95Milliseconds)) ms</td><td>\(v.inputTokens) / \(v.outputTokens)</td><td>\(v.errors)</td></tr>"
        }
        out += "</table>"
        let metricNames = Set(report.variants.flatMap { $0.metrics.keys.filter { $0.hasSuffix("_precision") || $0.hasSuffix("_recall") || $0.hasSuffix("_f1") } }).sorted()
        if !metricNames.isEmpty {
            out += "<h2>Extraction</h2><table><tr><th>variant</th>" + metricNames.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
            for v in report.variants {
                out += "<tr><td>\(e(v.variant))</td>" + metricNames.map { "<td>\(String(format: "%.3f", v.metrics[$0] ?? 0))</td>" }.joined() + "</tr>"
            }
            out += "</table>"
        }
        let failures = report.variants.compactMap { v in v.attemptFailures.map { (v.variant, $0) } }
        if !failures.isEmpty {
            out += "<h2>Runaway and cut-off attempts</h2><ul>"
            for (variant, line) in failures { out += "<li>\(e(variant)): \(e(line))</li>" }
            out += "</ul>"
        }
        return out
    }

    static let palette = ["#3b6fd8", "#e07b24", "#2f9e6a", "#9b59b6", "#c0392b", "#16a2b8"]

    static func passRateChart(_ variants: [EvalVariantSummary]) -> String {
        let barWidth = 56.0
        let gap = 28.0
        let height = 200.0
        let width = 100 + Double(variants.count) * (barWidth + gap)
        var svg = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height + 50))\" role=\"img\" aria-label=\"pass rate per variant\">"
        svg += axis(height: height, width: width, labels: ["0%", "50%", "100%"])
        for (index, v) in variants.enumerated() {
            let x = 90 + gap / 2 + Double(index) * (barWidth + gap)
            let h = v.passRate * height
            svg += "<rect x=\"\(x)\" y=\"\(10 + height - h)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"\(palette[index % palette.count])\"/>"
            let low = 10 + height - v.passRateLow * height
            let high = 10 + height - v.passRateHigh * height
            let mid = x + barWidth / 2
            svg += "<path d=\"M\(mid) \(low) V\(high) M\(mid - 8) \(low) H\(mid + 8) M\(mid - 8) \(high) H\(mid + 8)\" stroke=\"#1d2330\" stroke-width=\"1.5\"/>"
            svg += "<text x=\"\(mid)\" y=\"\(height + 28)\" font-size=\"12\" text-anchor=\"middle\">\(e(v.variant))</text>"
            svg += "<text x=\"\(mid)\" y=\"\(height + 43)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6472\">\(EvalTableWriter.percent(v.passRate))</text>"
        }
        svg += "</svg><figcaption class=\"meta\">Pass rate with Wilson 95% interval</figcaption></figure>"
        return svg
    }

    static func costChart(_ variants: [EvalVariantSummary]) -> String {
        let barWidth = 56.0
        let gap = 28.0
        let height = 200.0
        let width = 100 + Double(variants.count) * (barWidth + gap)
        let highest = variants.compactMap(\.costPerCaseDollars).max() ?? 0
        let top = max(highest, 1e-12)
        var svg = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height + 50))\" role=\"img\" aria-label=\"cost per case per variant\">"
        svg += axis(height: height, width: width, labels: highest > 0 ? ["$0", EvalTableWriter.dollars(top / 2), EvalTableWriter.dollars(top)] : ["$0"])
        for (index, v) in variants.enumerated() {
            let x = 90 + gap / 2 + Double(index) * (barWidth + gap)
            let mid = x + barWidth / 2
            if let cost = v.costPerCaseDollars {
                let h = cost / top * height
                svg += "<rect x=\"\(x)\" y=\"\(10 + height - h)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"\(palette[index % palette.count])\" opacity=\"0.8\"/>"
            }
            svg += "<text x=\"\(mid)\" y=\"\(height + 28)\" font-size=\"12\" text-anchor=\"middle\">\(e(v.variant))</text>"
            svg += "<text x=\"\(mid)\" y=\"\(height + 43)\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5b6472\">\(EvalTableWriter.dollars(v.costPerCaseDollars))</text>"
        }
        svg += "</svg><figcaption class=\"meta\">Cost per case</figcaption></figure>"
        return svg
    }

    static func axis(height: Double, width: Double, labels: [String]) -> String {
        var svg = "<line x1=\"88\" y1=\"10\" x2=\"88\" y2=\"\(10 + height)\" stroke=\"#8a94a3\"/>"
        svg += "<line x1=\"88\" y1=\"\(10 + height)\" x2=\"\(width)\" y2=\"\(10 + height)\" stroke=\"#8a94a3\"/>"
        for (index, label) in labels.enumerated() {
            let y = 10 + height - Double(index) / Double(max(1, labels.count - 1)) * height
            svg += "<line x1=\"88\" y1=\"\(y)\" x2=\"\(width)\" y2=\"\(y)\" stroke=\"#e3e7ec\"/>"
            svg += "<text x=\"84\" y=\"\(y + 4)\" font-size=\"10\" text-anchor=\"end\" fill=\"#5b6472\">\(e(label))</text>"
        }
        return svg
    }

    static func comparison(_ report: EvalReport) -> String {
        guard let c = report.comparison else { return "" }
        var out = "<h2>\(e(c.candidate)) vs \(e(c.baseline))</h2><table>"
        out += "<tr><th>pairs</th><td>\(c.pairs)</td></tr>"
        out += "<tr><th>pass rate difference</th><td>\(String(format: "%+.1f", c.passRateDifference * 100)) points</td></tr>"
        out += "<tr><th>only \(e(c.baseline)) passed / only \(e(c.candidate)) passed</th><td>\(c.baselineOnly) / \(c.candidateOnly)</td></tr>"
        out += "<tr><th>McNemar exact p</th><td>\(String(format: "%.4f", c.pValue))</td></tr>"
        out += "<tr><th>score difference (95% paired bootstrap)</th><td>\(String(format: "%+.3f [%+.3f, %+.3f]", c.scoreDifference, c.scoreDifferenceLow, c.scoreDifferenceHigh))</td></tr>"
        out += "<tr><th>cases needed to detect this difference</th><td>\(c.casesNeeded.map(String.init) ?? "no difference")</td></tr></table>"
        return out
    }

    static func gate(_ report: EvalReport) -> String {
        guard !report.gate.isEmpty else { return "" }
        var out = "<h2>Gate</h2><table><tr><th>condition</th><th>result</th><th>values</th></tr>"
        for g in report.gate {
            let values = [g.left, g.right].map { $0.map(EvalTableWriter.format) ?? "—" }.joined(separator: " vs ")
            out += "<tr class=\"\(g.passed ? "" : "failed")\"><td><code>\(e(g.condition))</code></td><td class=\"\(g.passed ? "pass" : "fail")\">\(g.passed ? "pass" : "FAIL")</td><td>\(e(values))\(g.note.map { " — " + e($0) } ?? "")</td></tr>"
        }
        return out + "</table>"
    }

    static func matrix(_ report: EvalReport) -> String {
        let variants = report.variants.map(\.variant)
        var byKey: [String: [EvalResult]] = [:]
        for result in report.results { byKey["\(result.caseID)\u{1}\(result.variant)", default: []].append(result) }
        var out = "<h2>Cases</h2><table><tr><th>case</th>" + variants.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
        for caseID in report.cases {
            out += "<tr><td><code>\(e(caseID))</code></td>"
            for variant in variants {
                let results = byKey["\(caseID)\u{1}\(variant)"] ?? []
                if results.isEmpty {
                    out += "<td class=\"meta\">not run</td>"
                    continue
                }
                out += "<td class=\"\(results.allSatisfy(\.passed) ? "" : "failed")\">"
                for result in results {
                    out += "<span class=\"badge \(result.passed ? "pass" : "fail")\">\(result.passed ? "PASS" : "FAIL")</span> "
                    out += "<span class=\"meta\">score \(String(format: "%.2f", result.score)) · \(Int(result.latencyMilliseconds)) ms"
                    if let cost = result.costPicodollars { out += " · \(EvalTableWriter.dollars(Money(picodollars: cost).dollars))" }
                    out += "</span>"
                    if let error = result.error { out += "<div class=\"fail\">\(e(error))</div>" }
                    out += "<ul class=\"assert\">"
                    for a in result.assertions {
                        out += "<li class=\"\(a.passed ? "ok" : "bad")\">\(a.passed ? "✓" : "✗") \(e(a.name))\(a.passed ? "" : ": " + e(a.detail))</li>"
                    }
                    out += "</ul>"
                    if let output = result.output { out += "<details><summary>output</summary><pre>\(e(output))</pre></details>" }
                }
                out += "</td>"
            }
            out += "</tr>"
        }
        return out + "</table>"
    }

    /// HTML escaping for text and attribute values.
    static func e(_ text: String) -> String {
        EvalJUnitWriter.escape(text)
    }
}
