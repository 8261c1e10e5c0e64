import ArgumentParser
import Foundation
import KAMCore
import KAMProviders
import KAMRuntime
import KAMStore
import Logging

/// The `Runtime` a command opens from its flags (`--db`, `--user`, `--config`, `--provider`, `--model`,
/// `--base-url`, `--prompts`, `--record`), with the runtime's errors printed for a person and mapped to
/// exit codes. Commands call the runtime's services; this file only translates flags and failures.
struct AgentRuntime {
    var global: GlobalOptions
    var runtime: Runtime

    var store: ClientStore { runtime.store }
    /// The o200k_base tokenizer, loaded on first use (a command that calls no model never loads it).
    var tokenizer: Tokenizer {
        get throws {
            do {
                return try runtime.tokenizer()
            } catch {
                throw Self.fail(error)
            }
        }
    }
    var registry: PromptRegistry { runtime.registry }
    var configuration: KAMConfiguration { runtime.configuration }
    /// The acting user of this invocation (`--user`, `$KAM_USER`).
    var user: ActingUser { ActingUser(global.userID) }

    /// Opens the runtime for this invocation.
    static func open(
        _ global: GlobalOptions, _ config: ConfigOptions, prompts: String? = nil, record: String? = nil
    ) async throws -> AgentRuntime {
        try await open(
            global, configurationFile: config.config, overrides: config.overrides, prompts: prompts, record: record)
    }

    /// Opens the runtime for a command that calls no model, on `prompts` when given (the configuration still comes from
    /// `$KAM_CONFIG` or `./kam.yaml`, for budgets and prices).
    static func open(_ global: GlobalOptions, prompts: String? = nil) async throws -> AgentRuntime {
        try await open(global, configurationFile: nil, overrides: ModelOverrides(), prompts: prompts, record: nil)
    }

    /// Opens the runtime for a command that calls no model but takes its own `--config` (prices, retention);
    /// nil is `$KAM_CONFIG` or `./kam.yaml`.
    static func open(_ global: GlobalOptions, configurationFile: String?) async throws -> AgentRuntime {
        try await open(global, configurationFile: configurationFile, overrides: ModelOverrides(), prompts: nil, record: nil)
    }

    private static func open(
        _ global: GlobalOptions, configurationFile: String?, overrides: ModelOverrides, prompts: String?,
        record: String?
    ) async throws -> AgentRuntime {
        let options = RuntimeOptions(
            databasePath: global.databasePath, configurationFile: configurationFile, promptsDirectory: prompts,
            overrides: overrides, recordDirectory: record.map { URL(fileURLWithPath: $0) },
            logger: Self.warningLogger)
        do {
            let runtime = try await Runtime.open(options)
            return AgentRuntime(global: global, runtime: runtime)
        } catch {
            throw fail(error)
        }
    }

    /// Runs a service call, printing its failure for a person and throwing the exit code.
    @discardableResult
    func attempt<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw Self.fail(error)
        }
    }

    /// Runs an asynchronous service call, printing its failure and throwing the exit code.
    @discardableResult
    func attempt<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw Self.fail(error)
        }
    }

    /// Warnings (a provider left out of the chain for a missing key) go to stderr as `kam: warning: ...`.
    static let warningLogger: Logger = {
        var logger = Logger(label: "kam") { _ in StderrWarningHandler() }
        logger.logLevel = .warning
        return logger
    }()

    /// The prompt version a reference names (`id`, `id@3`, `id:candidate`), its hash recorded on first use.
    func template(_ reference: String) throws -> PromptTemplate {
        do {
            return try runtime.template(reference)
        } catch {
            throw Self.fail(error)
        }
    }

    /// The runner and route for a prompt, with this command's --provider/--model/--base-url applied.
    func runner(forPrompt promptID: String) throws -> (runner: PromptRunner, route: ModelRoute) {
        do {
            let routed = try runtime.runners.runner(forPrompt: promptID)
            return (routed.runner, routed.route)
        } catch {
            throw Self.fail(error)
        }
    }

    /// Options for a call on `route`: its model, and the model's output limit when the configuration sets one.
    func options(for route: ModelRoute, onDelta: (@Sendable (String) -> Void)? = nil) -> PromptRunner.Options {
        PromptRunner.Options(route: route, onDelta: onDelta)
    }

    /// Who the call is for: the acting user and their team, and the client.
    func attribution(clientID: String?) throws -> CallAttribution {
        do {
            return try runtime.attribution(user, clientID: clientID)
        } catch {
            throw Self.fail(error)
        }
    }

    /// The client's context fitted to `budget` tokens (the prompt's context budget when nil).
    func context(for client: Client, budget: Int?) throws -> AssembledContext {
        do {
            return try runtime.context(clientID: client.id, budget: budget)
        } catch {
            throw Self.fail(error)
        }
    }

    /// Prints a failed runtime call for a person and returns the exit code (see `ErrorExit`).
    static func fail(_ error: any Error) -> ExitCode {
        ErrorExit.fail(error)
    }
}
