import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam run PROMPT [--vars FILE] [--client CLIENT]`: render any prompt, call the model with its output
/// schema, validate, and print the typed answer with the call's usage, cost and latency.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run any prompt: render, call with the output schema, validate, print the typed answer and its cost.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var config: ConfigOptions
    @Argument(help: "PROMPT-ID, PROMPT-ID@VERSION or PROMPT-ID:LABEL.") var prompt: String
    @Option(help: "A JSON file with the prompt's variables (they override the client's).") var vars: String?
    @Option(help: "Fill the context variables from this client.") var client: String?
    @Option(help: "Prompt folder.") var prompts: String?
    @Option(help: "Record the model calls into this folder for the replay provider.") var record: String?
    @Flag(help: "Print the answer as it streams (to stderr).") var stream = false
    @Flag(help: "Print JSON: output, model, usage, cost, latency, attempts.") var json = false

    func run() async throws {
        var variables: [String: JSONValue] = [:]
        if let vars {
            let text: String
            do {
                text = try String(contentsOfFile: vars, encoding: .utf8)
            } catch {
                Terminal.printError("kam: cannot read --vars \(vars): \(error.localizedDescription)")
                throw ExitCodes.fileUnreadable.exit
            }
            guard case .object(let fields)? = try? JSONParser().parse(text) else {
                Terminal.printError("kam: --vars \(vars) must hold a JSON object of variables, like {\"client_name\": \"Acme\"}")
                throw ExitCode.validationFailure
            }
            variables = fields
        }
        let runtime = try await AgentRuntime.open(global, config, prompts: prompts, record: record)
        var onDelta: (@Sendable (String) -> Void)? = nil
        if stream { onDelta = { text in FileHandle.standardError.write(Data(text.utf8)) } }
        let ran = try await runtime.attempt {
            let clientID = try client.map { try runtime.client($0).id }
            return try await runtime.runtime.prompts.run(
                prompt, clientID: clientID, variables: variables, as: runtime.user, onDelta: onDelta)
        }
        let (template, run) = (ran.template, ran.run)
        if stream { FileHandle.standardError.write(Data("\n".utf8)) }
        let cost = run.cost.money.map { String(format: "$%.6f", $0.dollars) } ?? run.cost.description
        let milliseconds = Int(run.latency.components.seconds * 1000 + run.latency.components.attoseconds / 1_000_000_000_000_000)
        if json {
            let summary: JSONValue = [
                "prompt": .string(template.reference), "output": run.output, "provider": .string(run.provider),
                "model": .string(run.model), "offline": .bool(run.isOffline), "attempts": .int(Int64(run.attempts.count)),
                "usage": [
                    "input_tokens": .int(Int64(run.usage.inputTokens)), "output_tokens": .int(Int64(run.usage.outputTokens)),
                    "cached_input_tokens": .int(Int64(run.usage.cachedInputTokens)),
                ],
                "cost_usd": run.cost.money.map { .double($0.dollars) } ?? .null, "latency_ms": .int(Int64(milliseconds)),
            ]
            print(try Terminal.json(summary))
        } else {
            print(try Terminal.json(run.output))
            print(
                "\(template.reference) → \(run.model) via \(run.provider)\(run.isOffline ? " [offline]" : ""): "
                    + "\(run.usage.inputTokens) tokens in, \(run.usage.outputTokens) out, \(cost), \(milliseconds) ms, "
                    + "\(run.attempts.count) attempt\(run.attempts.count == 1 ? "" : "s")")
        }
        fflush(nil)
    }
}
