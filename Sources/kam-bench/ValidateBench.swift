import Foundation
import KAMCore

/// `kam-bench validate`: parse, validate and decode a 1.2 KB follow-up email draft, per second.
///
/// This is what happens to every model answer; the target is pydantic v2's rate on the same
/// machine (≥ 100,000 per second).
enum ValidateBench {
    struct FollowUpEmail: Decodable, Sendable {
        struct Fact: Decodable, Sendable {
            var fact: String
            var source: String
        }
        var subject: String
        var body: String
        var callToAction: String
        var tone: String
        var factsUsed: [Fact]
    }

    static let schemaText = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "additionalProperties": false,
          "required": ["subject", "body", "call_to_action", "tone", "facts_used"],
          "properties": {
            "subject": {"type": "string", "minLength": 1, "maxLength": 120},
            "body": {"type": "string", "minLength": 1, "maxLength": 1200},
            "call_to_action": {"type": "string", "minLength": 1, "maxLength": 200},
            "tone": {"enum": ["formal", "friendly", "neutral"]},
            "facts_used": {
              "type": "array",
              "maxItems": 10,
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["fact", "source"],
                "properties": {
                  "fact": {"type": "string", "minLength": 1, "maxLength": 300},
                  "source": {"type": "string", "pattern": "^(activity|deal|task|order|memory|email):[A-Za-z0-9_-]+$"}
                }
              }
            }
          }
        }
        """#

    static let answer = #"""
        {"subject": "Following up on the Q3 inspection and your renewal",
         "body": "Dear Ms. Lindqvist,\n\nThank you for taking the time to walk us through the plant last Tuesday. As promised, I have attached the summary of the Q3 inspection: all twelve conveyor units passed, and the two pumps flagged in June were replaced under warranty on 14 August. Your team mentioned that the night shift would like a refresher on the new safety interlocks; we can run a 90-minute session on site in the week of 23 September, at no extra cost under your current service plan.\n\nRegarding the renewal of the framework agreement, which ends on 31 October: the pricing we discussed keeps the per-unit maintenance rate unchanged and adds quarterly remote diagnostics. I would be glad to go through the draft with you and Mr. Okafor before your budget meeting.\n\nKind regards,\nDaniel",
         "call_to_action": "Could you suggest two slots next week for a 30-minute call about the renewal?",
         "tone": "formal",
         "facts_used": [
           {"fact": "Q3 inspection passed for all twelve conveyor units", "source": "activity:act_1042"},
           {"fact": "Two pumps replaced under warranty on 14 August", "source": "order:ord_311"},
           {"fact": "Framework agreement ends on 31 October", "source": "deal:deal_77"},
           {"fact": "Night shift asked for a safety interlock refresher", "source": "memory:mem_9"}
         ]}
        """#

    static let benchmark = Benchmark(
        name: "validate",
        summary: "parse + validate + decode a 1.2 KB model answer (follow-up email) into its Swift type, per second"
    ) { arguments in
        let seconds = arguments.first.flatMap(Double.init) ?? 3
        let schema = try JSONSchema(text: schemaText)
        let validator = OutputValidator<FollowUpEmail>(
            schema: schema, decoder: JSONValueDecoder(keyDecodingStrategy: .convertFromSnakeCase))
        let text = answer
        guard case .valid(let first) = validator.check(text) else {
            throw BenchError(message: "the benchmark answer does not validate: \(validator.check(text).issues)")
        }
        precondition(first.factsUsed.count == 4)
        // Warm up, then time batches; report the rate and per-call percentiles of batch means.
        for _ in 0..<2_000 { _ = validator.check(text) }
        let batch = 1_000
        var perCall: [Double] = []
        var count = 0
        var valid = 0
        let start = now()
        while now() - start < seconds {
            let t0 = now()
            for _ in 0..<batch where validator.check(text).isValid { valid += 1 }
            perCall.append((now() - t0) / Double(batch))
            count += batch
        }
        let elapsed = now() - start
        guard valid == count else { throw BenchError(message: "\(count - valid) checks were invalid") }
        perCall.sort()
        return [
            BenchResult(
                benchmark: "validate", metric: "answers_per_second", value: Double(count) / elapsed, unit: "1/s", n: count),
            BenchResult(
                benchmark: "validate", metric: "time_per_answer", value: elapsed / Double(count) * 1e6, unit: "us",
                p50: percentile(perCall, 50) * 1e6, p99: percentile(perCall, 99) * 1e6, n: perCall.count),
            BenchResult(
                benchmark: "validate", metric: "answer_bytes", value: Double(text.utf8.count), unit: "bytes"),
        ]
    }

    struct BenchError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
