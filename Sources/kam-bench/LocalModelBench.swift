import Foundation
import KAMCore
import KAMProviders
import KAMRuntime
import KAMStore

/// `kam-bench local-model`: the shipped prompts against the real local model (SmolLM2-135M on llama.cpp, started with
/// `tools/local-model` unless `--base-url URL` names a running server) through the runtime's own path:
/// `draft.follow-up-email` and `analysis.inbound-email` (on an email of `Evaluations/inbound-email.jsonl`) for each of
/// the 8 demo clients, `--repeats N` times (default 3), each a `PromptService.run` with the prompt's attempts and
/// repair, one at a time.
///
/// Prints the share schema-valid on the first attempt (goal ≥ 95 %) and within the prompt's attempts (≥ 99 %), the
/// latency of each model call (p50 < 10 s, p95 < 30 s on 2 cores) and of each run, the answers with a repeated
/// sentence (goal 0), the failure codes, the settings and the machine's load. The settings default to what
/// `kam models check` recommends for a local model (`ModelRecommendation`); `--max-tokens N`, `--options JSON` and
/// `--json-schema false` try others.
enum LocalModelBench {
    static let benchmark = Benchmark(
        name: "local-model",
        summary: "the 8 demo clients' follow-up draft and email analysis on the real local model: validity, latency, repetition"
    ) { arguments in
        var options = ModelRecommendation.localOptions
        if let text = option("--options", in: arguments) {
            guard case .object(let given)? = try? JSONValue.parse(text) else {
                throw BenchError(message: "--options takes a JSON object, e.g. '{\"temperature\":0.2,\"repeat_penalty\":1.3}'")
            }
            options = given
        }
        let settings = Settings(
            maxTokens: Int(option("--max-tokens", in: arguments) ?? "") ?? ModelRecommendation.localMaxOutputTokens,
            options: options, jsonSchema: option("--json-schema", in: arguments) != "false",
            grammarMaxLength: Int(option("--grammar-max-length", in: arguments) ?? "") ?? ModelRecommendation.localGrammarMaxLength,
            repeats: Int(option("--repeats", in: arguments) ?? "") ?? 3)
        var server: Int32?
        let base: String
        if let url = option("--base-url", in: arguments) {
            base = url
        } else {
            let started = try startLocalModel()
            (base, server) = (started.url, started.pid)
        }
        defer { if let server { kill(server, SIGTERM) } }
        return try await run(base: base, settings: settings)
    }

    struct Settings {
        var maxTokens: Int
        var options: [String: JSONValue]
        var jsonSchema: Bool
        /// kam.yaml's `grammar_max_length` (0: none).
        var grammarMaxLength: Int
        var repeats: Int

        var description: String {
            let written = options.keys.sorted().map { "\($0): \(options[$0]!.compactJSONText)" }.joined(separator: ", ")
            return "json_schema: \(jsonSchema), grammar_max_length: \(grammarMaxLength), max_output_tokens: \(maxTokens), "
                + "options: {\(written)}"
        }
    }

    /// One prompt run: its attempts' latencies and failure codes, whether it ended valid, and a repeated sentence.
    struct Call {
        var prompt: String
        var client: String
        var validFirst: Bool
        var valid: Bool
        var attemptSeconds: [Double]
        var runSeconds: Double
        var failureCodes: [String]
        var repeated: String?
    }

    static func run(base: String, settings: Settings) async throws -> [BenchResult] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kam-bench-local-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = settings.options.keys.sorted().map { "\($0): \(settings.options[$0]!.compactJSONText)" }
        let yaml = """
            version: 1
            providers:
              local: {kind: openai-compatible, base_url: "\(base)", json_schema: \(settings.jsonSchema)\(settings.grammarMaxLength > 0 ? ", grammar_max_length: \(settings.grammarMaxLength)" : "")}
            models:
              smol: {provider: local, id: smollm2-135m-instruct, max_output_tokens: \(settings.maxTokens), options: {\(options.joined(separator: ", "))}}
            default_model: smol
            """
        let configuration = try KAMConfiguration.parse(yaml, file: "kam-bench local-model")
        let runtime = try await Runtime.open(
            RuntimeOptions(databasePath: folder.appendingPathComponent("kam.sqlite").path, configuration: configuration))
        _ = try runtime.demo.seed()
        let clients = try runtime.clients.list(as: .anonymous)
        let emails = try shippedEmails()
        let load = loadAverage()
        FileHandle.standardError.write(Data("local-model: \(base), \(settings.description); load before: \(load)\n".utf8))
        var calls: [Call] = []
        for repeat_ in 0..<settings.repeats {
            for (index, client) in clients.enumerated() {
                let email = emails[(index + repeat_ * clients.count) % emails.count].merging(
                    ["client_name": .string(client.name)]) { _, new in new }
                for (prompt, variables) in [
                    ("draft.follow-up-email", ["hint": JSONValue.string("follow up on the last conversation")]),
                    ("analysis.inbound-email", email),
                ] {
                    let call = await one(runtime, prompt: prompt, client: client.id, variables: variables)
                    calls.append(call)
                    let codes = call.failureCodes.isEmpty ? "" : " failed: \(call.failureCodes.joined(separator: ","))"
                    let line = "\(prompt) \(client.id): \(call.valid ? "valid" : "INVALID") in \(call.attemptSeconds.count) "
                        + "attempt(s), \(String(format: "%.1f", call.runSeconds)) s\(codes)"
                        + (call.repeated.map { " REPEATS \"\($0)\"" } ?? "") + "\n"
                    FileHandle.standardError.write(Data(line.utf8))
                }
            }
        }
        FileHandle.standardError.write(Data("local-model: load after: \(loadAverage())\n".utf8))
        return results(calls)
    }

    /// One run through `PromptService.run`, the path `kam run` takes.
    static func one(_ runtime: Runtime, prompt: String, client: String, variables: [String: JSONValue]) async -> Call {
        let start = now()
        var call = Call(
            prompt: prompt, client: client, validFirst: false, valid: false, attemptSeconds: [], runSeconds: 0,
            failureCodes: [])
        do {
            let ran = try await runtime.prompts.run(prompt, clientID: client, variables: variables, as: .anonymous)
            call.valid = true
            call.validFirst = ran.run.attempts.count == 1
            call.attemptSeconds = ran.run.attempts.map { seconds($0.latency) }
            call.failureCodes = ran.run.attempts.compactMap(\.failureCode)
            call.repeated = repeatedSentence(in: ran.run.output)
        } catch let error as PromptRunError {
            call.attemptSeconds = error.attempts.map { seconds($0.latency) }
            call.failureCodes = error.attempts.compactMap(\.failureCode)
        } catch let error as ProviderError {
            call.failureCodes = [(error.underlying as? ProviderError)?.code.rawValue ?? error.code.rawValue]
        } catch {
            call.failureCodes = ["\(type(of: error))"]
        }
        call.runSeconds = now() - start
        if call.attemptSeconds.isEmpty { call.attemptSeconds = [call.runSeconds] }
        return call
    }

    static func results(_ calls: [Call]) -> [BenchResult] {
        func result(_ metric: String, _ value: Double, _ unit: String, n: Int = calls.count) -> BenchResult {
            BenchResult(benchmark: "local-model", metric: metric, value: value, unit: unit, n: n)
        }
        var results: [BenchResult] = []
        for (name, subset) in [("all", calls)] + Dictionary(grouping: calls, by: \.prompt).sorted(by: { $0.key < $1.key }) {
            let prefix = name == "all" ? "" : "\(name)."
            let attempts = subset.flatMap(\.attemptSeconds).sorted()
            let runs = subset.map(\.runSeconds).sorted()
            let count = Double(subset.count)
            results += [
                result(prefix + "valid_first_attempt", 100 * Double(subset.count(where: \.validFirst)) / count, "%", n: subset.count),
                result(prefix + "valid_within_attempts", 100 * Double(subset.count(where: \.valid)) / count, "%", n: subset.count),
                result(prefix + "call_latency_p50", percentile(attempts, 50), "s", n: attempts.count),
                result(prefix + "call_latency_p95", percentile(attempts, 95), "s", n: attempts.count),
                result(prefix + "run_latency_p50", percentile(runs, 50), "s", n: runs.count),
                result(prefix + "run_latency_p95", percentile(runs, 95), "s", n: runs.count),
                result(prefix + "answers_repeating_a_sentence", Double(subset.count { $0.repeated != nil }), "answers", n: subset.count),
            ]
        }
        let codes = Dictionary(grouping: calls.flatMap(\.failureCodes), by: { $0 })
        for (code, list) in codes.sorted(by: { $0.key < $1.key }) {
            results.append(result("failed_attempts.\(code)", Double(list.count), "attempts"))
        }
        return results
    }

    /// A sentence of at least three words that appears twice in one string of the answer (normalised: case, spaces).
    static func repeatedSentence(in value: JSONValue) -> String? {
        switch value {
        case .string(let text):
            var seen: Set<String> = []
            let sentences = text.split(whereSeparator: { ".!?\n".contains($0) })
            for sentence in sentences {
                let words = sentence.lowercased().split(whereSeparator: \.isWhitespace)
                guard words.count >= 3 else { continue }
                let normalised = words.joined(separator: " ")
                if !seen.insert(normalised).inserted { return normalised }
            }
            return nil
        case .array(let items): return items.lazy.compactMap(repeatedSentence).first
        case .object(let fields): return fields.keys.sorted().lazy.compactMap { repeatedSentence(in: fields[$0]!) }.first
        default: return nil
        }
    }

    /// The emails of `Evaluations/inbound-email.jsonl` as the prompt's variables.
    static func shippedEmails() throws -> [[String: JSONValue]] {
        let file = try repositoryFile("Evaluations/inbound-email.jsonl")
        return try String(contentsOf: file, encoding: .utf8).split(separator: "\n").compactMap { line in
            guard case .object(let variables)? = try JSONValue.parse(String(line))["vars"] else { return nil }
            return variables
        }
    }

    /// `path` found from the current directory up (the package root).
    static func repositoryFile(_ path: String) throws -> URL {
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw BenchError(message: "\(path) not found from \(FileManager.default.currentDirectoryPath); run from the package root")
    }

    /// Starts `tools/local-model --background` and returns its URL and the server's pid.
    static func startLocalModel() throws -> (url: String, pid: Int32) {
        let process = Process()
        process.executableURL = try repositoryFile("tools/local-model")
        process.arguments = ["--background", "--max-seconds", "7200"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = text.split(separator: "\n").map(String.init)
        guard process.terminationStatus == 0, let url = lines.first(where: { $0.hasPrefix("http") }),
            let pid = lines.first(where: { $0.hasPrefix("pid=") }).flatMap({ Int32($0.dropFirst(4)) })
        else {
            throw BenchError(message: "tools/local-model did not start (exit \(process.terminationStatus)): \(text)")
        }
        return (url, pid)
    }

    /// `/proc/loadavg`'s three load averages.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    typealias BenchError = ProvidersBench.BenchError
}
