import Foundation
import KAMCore
import KAMResources

/// `kam-bench validate [SECONDS] [ROUNDS] [--no-pydantic]`: parse, validate and decode a 1.2 KB
/// follow-up email answer per second, against the shipped schema of `draft.follow-up-email`, into
/// `DraftOutput`, side by side with pydantic v2 doing the same with the same constraints.
///
/// Each round (default 3, SECONDS each, default 2) times in turn on the same answer: KAM as
/// `PromptRunner` checks answers (`OutputValidator`, the single-pass fast path), KAM's general path
/// alone (`JSONParser` into a `JSONValue`, `SchemaEvaluator`, `JSONValueDecoder`: what every answer
/// took before the fast path, and what an invalid one still takes), and pydantic's
/// `model_validate_json` (`tools/pydantic-validate/run`, found from the current directory up).
/// The 1-minute load average is printed at the start and the end: the machine is shared.
enum ValidateBench {
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
        summary: "parse + validate + decode a 1.2 KB answer (draft.follow-up-email) into DraftOutput, per second, beside pydantic v2"
    ) { arguments in
        let numbers = arguments.filter { $0 != "--no-pydantic" }
        let seconds = numbers.first.flatMap(Double.init) ?? 2
        let rounds = numbers.dropFirst().first.flatMap(Int.init) ?? 3
        guard let schemaURL = ShippedResources.url("Prompts/draft.follow-up-email/output.schema.json") else {
            throw BenchError(message: "the shipped schema of draft.follow-up-email is missing from KAMResources")
        }
        let schema = try JSONSchema(text: try String(contentsOf: schemaURL, encoding: .utf8))
        guard schema.hasFastPath else { throw BenchError(message: "the shipped schema no longer has a fast path (SchemaShape)") }
        let fast = OutputValidator<DraftOutput>(schema: schema)
        let general = OutputValidator<DraftOutput>(schema: schema, fastPath: false)
        guard case .valid(let first) = fast.check(answer), case .valid(let second) = general.check(answer), first == second
        else {
            throw BenchError(message: "the benchmark answer does not validate the same on both paths: \(general.check(answer).issues)")
        }
        let pydantic = arguments.contains("--no-pydantic") ? nil : try pydanticScript()
        let loadStart = loadAverage()
        var results: [BenchResult] = [
            BenchResult(benchmark: "validate", metric: "load_average_1m_start", value: loadStart, unit: "")
        ]
        var kam: [Double] = []
        var generalPath: [Double] = []
        var peer: [Double] = []
        var perCall: [Double] = []
        for round in 1...max(1, rounds) {
            kam.append(try rate(fast, seconds: seconds, perCall: &perCall))
            var unused: [Double] = []
            generalPath.append(try rate(general, seconds: seconds, perCall: &unused))
            results.append(BenchResult(benchmark: "validate", metric: "round_\(round)_kam", value: kam.last!, unit: "1/s"))
            results.append(
                BenchResult(benchmark: "validate", metric: "round_\(round)_kam_general_path", value: generalPath.last!, unit: "1/s"))
            if let pydantic {
                peer.append(try runPydantic(pydantic, schema: schemaURL, seconds: seconds))
                results.append(BenchResult(benchmark: "validate", metric: "round_\(round)_pydantic", value: peer.last!, unit: "1/s"))
            }
        }
        perCall.sort()
        results += [
            BenchResult(benchmark: "validate", metric: "answers_per_second", value: median(kam), unit: "1/s", n: kam.count),
            BenchResult(
                benchmark: "validate", metric: "general_path_answers_per_second", value: median(generalPath), unit: "1/s",
                n: generalPath.count),
            BenchResult(
                benchmark: "validate", metric: "time_per_answer", value: 1e6 / median(kam), unit: "us",
                p50: percentile(perCall, 50) * 1e6, p99: percentile(perCall, 99) * 1e6, n: perCall.count),
            BenchResult(benchmark: "validate", metric: "answer_bytes", value: Double(answer.utf8.count), unit: "bytes"),
        ]
        if !peer.isEmpty {
            results.append(
                BenchResult(benchmark: "validate", metric: "pydantic_answers_per_second", value: median(peer), unit: "1/s", n: peer.count))
            // Each round's ratio, so that a change of load between rounds does not tilt it.
            let ratios = zip(kam, peer).map { $0 / $1 }
            results.append(BenchResult(benchmark: "validate", metric: "kam_over_pydantic", value: median(ratios), unit: "x", n: ratios.count))
        }
        results.append(BenchResult(benchmark: "validate", metric: "load_average_1m_end", value: loadAverage(), unit: ""))
        return results
    }

    /// Answers per second over `seconds`, timed in batches of 1,000 after a warm-up; appends each batch's time per answer.
    static func rate(_ validator: OutputValidator<DraftOutput>, seconds: Double, perCall: inout [Double]) throws -> Double {
        for _ in 0..<2_000 { _ = validator.check(answer) }
        let batch = 1_000
        var count = 0
        var valid = 0
        let start = now()
        while now() - start < seconds {
            let t0 = now()
            for _ in 0..<batch where validator.check(answer).isValid { valid += 1 }
            perCall.append((now() - t0) / Double(batch))
            count += batch
        }
        let elapsed = now() - start
        guard valid == count else { throw BenchError(message: "\(count - valid) checks were invalid") }
        return Double(count) / elapsed
    }

    /// `tools/pydantic-validate/run`, found from the current directory up.
    static func pydanticScript() throws -> URL {
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("tools/pydantic-validate/run")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw BenchError(
            message: "tools/pydantic-validate/run not found from \(FileManager.default.currentDirectoryPath); "
                + "run from the package root, or pass --no-pydantic")
    }

    /// pydantic's answers per second on the same answer (sent on standard input) for `seconds`.
    static func runPydantic(_ script: URL, schema: URL, seconds: Double) throws -> Double {
        let process = Process()
        process.executableURL = script
        process.arguments = [schema.path, String(seconds)]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(answer.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            case .object(let fields)? = try? JSONParser.parse(String(decoding: data, as: UTF8.self)),
            let rate = fields["answers_per_second"]?.doubleValue
        else {
            throw BenchError(message: "\(script.path) failed (status \(process.terminationStatus)): \(String(decoding: data, as: UTF8.self))")
        }
        return rate
    }

    /// The 1-minute load average (`/proc/loadavg`), NaN where there is none.
    static func loadAverage() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8),
            let first = text.split(separator: " ").first, let load = Double(first)
        else { return .nan }
        return load
    }

    static func median(_ values: [Double]) -> Double {
        percentile(values.sorted(), 50)
    }

    struct BenchError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
