import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import Logging

/// The `Runtime` a command opens from its flags (`--db`, `--user`, `--config`, `--provider`, `--model`,
/// `--base-url`, `--prompts`, `--record`), with the runtime's errors printed for a person and mapped to
/// exit codes. Commands call the runtime's services; this file only translates flags and failures.
struct AgentRuntime {
    var global: GlobalOptions
    var runtime: Runtime

    /// The acting user of this invocation (`--user`, `$KAM_USER`): what every service call is scoped to. Without
    /// `--user` the run is anonymous, a local admin who sees everything.
    var user: ActingUser { ActingUser(global.userID) }

    /// The client a CLIENT argument names among those the acting user may see (`Runtime.client(_:as:)`): with
    /// `--user`, a client outside the user's scope is not found, as over HTTP.
    func client(_ query: String) throws -> Client {
        try runtime.client(query, as: user)
    }

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
            databasePath: global.databasePath, database: global.database, configurationFile: configurationFile,
            promptsDirectory: prompts,
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

    /// Prints a failed runtime call for a person and returns the exit code (see `ErrorExit`).
    static func fail(_ error: any Error) -> ExitCode {
        ErrorExit.fail(error)
    }
}
