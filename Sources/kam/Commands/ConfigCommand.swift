import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam config check`: validate `kam.yaml` (and its price overrides) before anything runs with it.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the configuration file.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate kam.yaml with file:line errors and print what it configures; exits 7 when invalid."
        )

        @Option(name: .long, help: "Configuration file (default: $KAM_CONFIG or ./kam.yaml).")
        var config: String?

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let runtime = try await AgentRuntime.openInspecting(global, readsDatabase: false)
            // The process's environment: the inspecting runtime's leaves the databases' URLs out, not to connect.
            let checked = try runtime.attempt {
                try runtime.runtime.config.check(
                    file: config, database: global.database, environment: ProcessInfo.processInfo.environment)
            }
            print(Self.summary(checked))
            fflush(nil)
        }

        static func summary(_ checked: ConfigService.Checked) -> String {
            let (configuration, prices) = (checked.configuration, checked.prices)
            var lines: [String] = []
            lines.append("\(configuration.sourcePath ?? "embedded defaults (no kam.yaml)"): valid")
            lines.append("providers:")
            for provider in configuration.providers.values.sorted(by: { $0.name < $1.name }) {
                var line = "  \(provider.name)  \(provider.kind.rawValue)"
                if let url = provider.baseURL { line += "  \(url)" }
                if let variable = provider.apiKeyVariable {
                    line += "  key from $\(variable) (\(checked.keysSet[provider.name] == true ? "set" : "not set"))"
                }
                lines.append(line)
            }
            lines.append("models:")
            for model in configuration.models.values.sorted(by: { $0.name < $1.name }) {
                let price = prices.price(for: model.id, provider: configuration.providers[model.provider]?.kind.rawValue)
                let priced = price.map { "in \($0.input.dollarsPerMillionTokens) / out \($0.output.dollarsPerMillionTokens) $ per M tokens" }
                    ?? "price unknown"
                lines.append("  \(model.name) → \(model.provider)/\(model.id)  (\(priced))")
            }
            lines.append("default model: \(configuration.defaultModel)")
            for (prompt, model) in configuration.promptModels.sorted(by: { $0.key < $1.key }) {
                lines.append("  prompt \(prompt) → \(model)")
            }
            lines.append("fallback: \(configuration.fallback.isEmpty ? "none" : configuration.fallback.joined(separator: " → "))")
            lines.append("rate limits: \(configuration.rateLimits.isEmpty ? "none" : "")")
            for limit in configuration.rateLimits {
                let target: String =
                    switch limit.target {
                    case .perUser: "each API user"
                    case .route(let route): "each API user on \(route)"
                    case .provider(let provider, let model): model.map { "\(provider)/\($0)" } ?? provider
                    }
                let rates = [
                    limit.requestsPerMinute.map { "\($0) requests/min" }, limit.tokensPerMinute.map { "\($0) tokens/min" },
                ].compactMap { $0 }.joined(separator: ", ")
                lines.append("  \(target): \(rates)")
            }
            lines.append(
                "budgets (\(configuration.budgetTimeZone.identifier), admission wait \(BudgetAdmission.describe(configuration.budgetAdmission.wait))): "
                    + (configuration.budgets.isEmpty ? "none in the file" : ""))
            for budget in configuration.budgets {
                lines.append("  \(budget.id)  \(budget.amount)")
            }
            lines.append("database: \(checked.database)")
            lines.append("ledger (budgets and usage): \(checked.ledger)")
            lines.append(
                "prices: \(prices.models.count) models, \(prices.source) of \(prices.sourceDate)"
                    + (prices.overrideFiles.isEmpty ? "" : "; overrides: \(prices.overrideFiles.joined(separator: ", "))"))
            let retry = configuration.retry
            lines.append(
                "retry: \(retry.maxAttempts) attempts, backoff \(retry.initialBackoff)–\(retry.maxBackoff) with full jitter, deadline \(retry.deadline)")
            return lines.joined(separator: "\n")
        }
    }
}
