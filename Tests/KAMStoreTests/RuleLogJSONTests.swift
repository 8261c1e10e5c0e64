import Foundation
@testable import KAMStore
import KAMCore
import KAMTesting
import Testing

/// The rules' log writes its conditions and action outcomes with KAM's own JSON writer (not `JSONEncoder`): what it
/// writes must read back, through `JSONDecoder` as the log's readers do, as exactly what was written, whatever the
/// text holds (quotes, backslashes, line breaks, control characters, hostile text, non-ASCII).
@Suite struct RuleLogJSONTests {
    static let texts =
        ["", "58", "< 60", "one of enterprise, professional", "\"quoted\" \\ back\\slash", "tab\there\nnew\r\nline",
         "\u{0}\u{1}\u{1F}\u{7F}", "Zürich — 東京 🚀"] + HostileText.variants

    @Test func conditionsReadBackAsWritten() throws {
        let conditions = Self.texts.enumerated().map { n, text in
            RuleEvaluation.Condition(
                field: n.isMultiple(of: 2) ? "health_below" : text, expected: text, actual: String(text.reversed()),
                passed: n.isMultiple(of: 3))
        }
        for list in [[], Array(conditions.prefix(1)), conditions] {
            let text = RuleEvaluation.Condition.jsonText(list)
            let read = try JSONDecoder().decode([RuleEvaluation.Condition].self, from: Data(text.utf8))
            #expect(read == list)
        }
        #expect(
            RuleEvaluation.Condition.jsonText([.init(field: "health_below", expected: "< 60", actual: "58", passed: true)])
                == #"[{"actual":"58","expected":"< 60","field":"health_below","passed":true}]"#)
    }

    @Test func actionOutcomesReadBackAsWritten() throws {
        let outcomes = Self.texts.map { RuleActionOutcome(action: "notify owner: \($0)", outcome: "done", detail: $0) }
        for list in [[], outcomes] {
            let read = try JSONDecoder().decode([RuleActionOutcome].self, from: Data(RuleActionOutcome.jsonText(list).utf8))
            #expect(read == list)
        }
    }
}
