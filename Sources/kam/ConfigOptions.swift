import ArgumentParser
import Foundation
import KAMCore
import KAMResources

/// `--config`, `--provider`, `--model`, `--base-url`: every command that calls a model takes these.
///
/// The configuration is `--config`, then `KAM_CONFIG`, then `./kam.yaml`, then the embedded defaults
/// (offline). The three model flags win over the file for this one command.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: $KAM_CONFIG or ./kam.yaml; none: offline defaults).")
    var config: String?

    @Option(name: .long, help: "Provider to call: a name from kam.yaml or openai, anthropic, openai-compatible, offline, replay.")
    var provider: String?

    @Option(name: .long, help: "Model: a name from kam.yaml, PROVIDER/MODEL, or the provider's model id.")
    var model: String?

    @Option(name: .customLong("base-url"), help: "Base URL of an openai-compatible server (e.g. http://127.0.0.1:8080/v1).")
    var baseURL: String?

    var overrides: ModelOverrides { ModelOverrides(provider: provider, model: model, baseURL: baseURL) }

    /// The configuration, or the issues printed and exit code 7.
    func load() throws -> KAMConfiguration {
        try ConfigOptions.load(explicit: config)
    }

    /// The route for a prompt with this command's overrides; errors printed, exit code 7.
    func route(forPrompt promptID: String?, in configuration: KAMConfiguration) throws -> ModelRoute {
        do {
            return try configuration.route(forPrompt: promptID, overrides: overrides)
        } catch {
            throw ConfigOptions.fail(error)
        }
    }

    /// Exit code of a configuration that cannot be used.
    static let configurationInvalid = ExitCodes.configurationInvalid.rawValue

    static func load(explicit: String?) throws -> KAMConfiguration {
        do {
            return try KAMConfiguration.load(explicit: explicit, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw fail(error)
        }
    }

    /// Prints a configuration error's issues, one per line, and returns exit code 7.
    static func fail(_ error: ConfigurationError) -> ExitCode {
        StoreOpening.printError(error.issues.map { "kam: \($0)" }.joined(separator: "\n"))
        return ExitCode(configurationInvalid)
    }
}
