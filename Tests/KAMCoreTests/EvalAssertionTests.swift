import Foundation
import KAMCore
import Testing

/// Each assertion kind on a hand-made answer, negation, extraction scores and gate conditions.
@Suite struct EvalAssertionTests {
    let facts = EvalFactIndex(
        facts: ["acme": ["Annual plant inspection every March"], "globex": ["Runs 40 warehouses"]],
        identifying: ["acme": ["Acme Manufacturing", "Annual plant inspection every March"], "globex": ["Globex Corp", "Runs 40 warehouses"]])

    func subject(_ output: JSONValue, expect: [String: JSONValue] = [:], cost: Int64? = 1_000, latency: Double = 10) -> EvalSubject {
        EvalSubject(
            output: output, rawText: output.compactJSONText, schemaValid: true, costPicodollars: cost, latencyMilliseconds: latency,
            evalCase: EvalCase(id: "c", client: "acme", expect: expect), facts: facts)
    }

    func check(_ kind: EvalAssertion.Kind, _ subject: EvalSubject, negate: Bool = false) -> Bool {
        EvalAssertion(name: "a", kind: kind, negate: negate).check(subject).passed
    }

    @Test func textAssertions() {
        let s = subject(["body": "Hello Jane, about the Annual plant inspection every March. Shall we talk?", "tone": "friendly"])
        #expect(check(.contains(field: "body", values: .literal(["jane"]), mode: .any, caseSensitive: false), s))
        #expect(!check(.contains(field: "body", values: .literal(["jane"]), mode: .any, caseSensitive: true), s))
        #expect(!check(.contains(field: "body", values: .literal(["jane", "price"]), mode: .all, caseSensitive: false), s))
        #expect(check(.contains(field: "body", values: .literal(["price"]), mode: .none, caseSensitive: false), s))
        #expect(check(.regex(field: "body", pattern: #"\?$"#, caseSensitive: false), s))
        #expect(check(.regex(field: "body", pattern: "refund", caseSensitive: false), s, negate: true))
        #expect(check(.wordCount(field: "body", min: 5, max: 20), s))
        #expect(!check(.wordCount(field: "body", min: nil, max: 5), s))
        #expect(check(.fieldEquals(field: "tone", values: .literal(["friendly", "neutral"])), s))
        #expect(!check(.fieldEquals(field: "tone", values: .expected("tone")), subject(["tone": "formal"], expect: ["tone": "friendly"])))
        #expect(check(.mentionsFact(field: "body"), s))
        #expect(check(.noCrossClientLeak(field: nil), s))
        #expect(check(.noPlaceholders(field: nil), s))
    }

    @Test func leaksAndPlaceholdersAreFound() {
        let leak = subject(["body": "Like Globex Corp, you could run 40 warehouses."])
        let outcome = EvalAssertion(name: "leak", kind: .noCrossClientLeak(field: nil)).check(leak)
        #expect(!outcome.passed)
        #expect(outcome.detail.contains("Globex Corp (globex)"))
        #expect(!check(.mentionsFact(field: nil), leak))
        for text in ["Dear [Name],", "Hi {{contact}}", "TODO: add price", "Regards, <YOUR NAME>"] {
            #expect(!check(.noPlaceholders(field: nil), subject(["body": .string(text)])), "\(text)")
        }
    }

    @Test func costAndLatencyLimits() {
        #expect(check(.costAtMost(Money(picodollars: 1_000)), subject([:], cost: 1_000)))
        #expect(!check(.costAtMost(Money(picodollars: 999)), subject([:], cost: 1_000)))
        #expect(!check(.costAtMost(Money(dollars: 1)), subject([:], cost: nil)))
        #expect(!check(.latencyAtMost(milliseconds: 5), subject([:], latency: 10)))
    }

    @Test func extractionScoresPrecisionRecallAndF1() {
        let s = subject(
            ["action_items": [["description": "Send the quote"], ["description": "Book a call"], ["description": "Water the plants"]]],
            expect: ["items": [["quote"], ["lead time", "delivery"], ["call"]]])
        let assertion = EvalAssertion(name: "items", kind: .extraction(field: "action_items", itemField: "description", expected: "items", minF1: 0.6))
        let metrics = assertion.metrics(s)
        #expect(metrics["items_tp"] == 2)
        #expect(metrics["items_fp"] == 1)
        #expect(metrics["items_fn"] == 1)
        #expect(assertion.check(s).passed)  // F1 = 2/3
        let score = ExtractionScore(truePositives: 2, falsePositives: 1, falseNegatives: 1)
        #expect(abs(score.f1 - 2.0 / 3.0) < 1e-9)
    }

    @Test func gateConditionsEvaluateAgainstSummaries() throws {
        func result(_ variant: String, _ id: String, _ passed: Bool) -> EvalResult {
            EvalResult(
                runID: "r", caseID: id, variant: variant, repeatIndex: 0, passed: passed, score: passed ? 1 : 0.5, assertions: [],
                output: nil, error: nil, promptVersion: "1", provider: "p", model: "m", attempts: 1, inputTokens: 1,
                outputTokens: 1, costPicodollars: 2_000_000, latencyMilliseconds: 1)
        }
        var results: [EvalResult] = []
        for i in 0..<20 {
            results.append(result("a", "c\(i)", true))
            results.append(result("b", "c\(i)", i < 12))
        }
        let a = EvalVariantSummary(variant: "a", results: results.filter { $0.variant == "a" })
        let b = EvalVariantSummary(variant: "b", results: results.filter { $0.variant == "b" })
        let comparison = EvalComparison(baseline: "a", candidate: "b", results: results)
        #expect(comparison.baselineOnly == 8)
        #expect(comparison.candidateOnly == 0)
        #expect(comparison.pValue < 0.01)
        #expect(comparison.scoreDifference < 0 && comparison.scoreDifferenceHigh < 0)
        let summaries = ["a": a, "b": b]
        func gate(_ text: String) throws -> Bool {
            try EvalGateCondition.parse(text).get().check(summaries: summaries, comparison: comparison, candidate: "b").passed
        }
        #expect(try !gate("b.pass_rate >= a.pass_rate - 0.02"))
        #expect(try gate("b.pass_rate >= a.pass_rate - 0.5"))
        #expect(try gate("cost_per_case <= 0.000003"))
        #expect(try !gate("p_value > 0.05"))
        #expect(try gate("(b.passed + 8) / 2 == 10"))
    }
}
