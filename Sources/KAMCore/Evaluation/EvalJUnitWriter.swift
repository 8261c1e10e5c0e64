/// JUnit XML for CI: one test suite per variant and one test case per case × repeat, so a CI system
/// lists each failing case with its failed assertions; the gate is one more test case.
public enum EvalJUnitWriter {
    public static func xml(_ report: EvalReport) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let failures = report.results.filter { !$0.passed }.count + report.gate.filter { !$0.passed }.count
        out += "<testsuites name=\"\(escape(report.suite))\" tests=\"\(report.results.count + report.gate.count)\" failures=\"\(failures)\">\n"
        for summary in report.variants {
            let results = report.results.filter { $0.variant == summary.variant }
            let time = results.reduce(0) { $0 + $1.latencyMilliseconds } / 1000
            out += "  <testsuite name=\"\(escape(report.suite)).\(escape(summary.variant))\" tests=\"\(results.count)\" failures=\"\(results.filter { !$0.passed }.count)\" errors=\"0\" time=\"\(time)\">\n"
            for result in results {
                let name = result.repeatIndex == 0 ? result.caseID : "\(result.caseID)#\(result.repeatIndex + 1)"
                out += "    <testcase classname=\"\(escape(report.suite)).\(escape(result.variant))\" name=\"\(escape(name))\" time=\"\(result.latencyMilliseconds / 1000)\""
                if result.passed {
                    out += "/>\n"
                    continue
                }
                let failed = result.assertions.filter { !$0.passed }
                let message = result.error ?? failed.map(\.name).joined(separator: ", ")
                var body = failed.map { "\($0.name): \($0.detail)" }.joined(separator: "\n")
                if let output = result.output { body += "\n--- output ---\n" + output }
                out += ">\n      <failure message=\"\(escape(message))\" type=\"assertion\">\(escape(body))</failure>\n    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        out += "  <testsuite name=\"\(escape(report.suite)).gate\" tests=\"\(report.gate.count)\" failures=\"\(report.gate.filter { !$0.passed }.count)\" errors=\"0\">\n"
        for outcome in report.gate {
            out += "    <testcase classname=\"\(escape(report.suite)).gate\" name=\"\(escape(outcome.condition))\""
            if outcome.passed {
                out += "/>\n"
            } else {
                let detail = "left \(outcome.left.map { "\($0)" } ?? "none"), right \(outcome.right.map { "\($0)" } ?? "none")" + (outcome.note.map { "; \($0)" } ?? "")
                out += ">\n      <failure message=\"gate condition failed\" type=\"gate\">\(escape(detail))</failure>\n    </testcase>\n"
            }
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// XML text escaping; characters XML 1.0 forbids are dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
