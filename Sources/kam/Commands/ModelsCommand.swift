import ArgumentParser
import Foundation
import KAMCore
import KAMProviders
import KAMRuntime

/// `kam models check`: whether each model answers, how (structured output), how fast, and what to set.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Check the configured models against their servers.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check each model of kam.yaml (or the one --provider/--model/--base-url name): reachable, structured output, speed, a shipped prompt; exits 21 when a check fails.",
            discussion: """
                For each model: reachable (GET /models); structured output, trying json_schema, a tool schema and the \
                schema in the prompt in that order (an openai-compatible server gets all three); the time to the first \
                token and tokens per second of a short streamed answer; analysis.inbound-email on the demo's first inbound \
                email through the runtime's runner (its attempts and repair), with its validity, time and failure codes \
                (output.degenerate, output.truncated, output.invalid, provider.timeout). Then the kam.yaml settings it \
                recommends: json_schema, first_token_seconds, idle_seconds and timeout_seconds from the measured speed, \
                max_output_tokens and, for a local model, sampling options against repetition. The shipped prompt's calls \
                are metered like any others. Every call goes to the model alone: no retry, no fallback.
                """
        )

        @OptionGroup var config: ConfigOptions
        @Flag(name: .long, help: "Print the reports as JSON.")
        var json = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config)
            let json = self.json
            let reports = try await runtime.attempt {
                try await runtime.runtime.modelChecks.check(overrides: config.overrides) { report in
                    guard !json else { return }
                    print(Self.text(report))
                    fflush(nil)
                }
            }
            if json {
                print(try Terminal.json(reports))
                fflush(nil)
            }
            if reports.contains(where: { !$0.passed }) { throw ExitCodes.modelCheckFailed.exit }
        }

        static func text(_ report: ModelCheckReport) -> String {
            var lines = ["model \(report.model) (provider '\(report.provider)', \(report.kind), id \(report.modelID)"
                + (report.baseURL.map { ", \($0)" } ?? "") + ")"]
            for step in report.steps {
                let status = step.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                lines.append("  \(status) \(step.name.padding(toLength: 17, withPad: " ", startingAt: 0)) \(step.detail)")
                if let advice = step.advice { lines.append(String(repeating: " ", count: 28) + "→ \(advice)") }
            }
            if let recommended = report.recommended,
                let kind = ProviderConfiguration.Kind(rawValue: report.kind)
            {
                let yaml = recommended.yaml(provider: report.provider, model: report.model, kind: kind)
                if !yaml.isEmpty {
                    lines.append("  recommended settings (kam.yaml):")
                    lines += yaml.split(separator: "\n").map { "    " + $0 }
                }
            }
            lines.append(report.passed ? "  passed" : "  FAILED")
            return lines.joined(separator: "\n")
        }
    }
}
