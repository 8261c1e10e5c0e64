import ArgumentParser
import Foundation
import KAMCore
import KAMServer
import KAMRuntime

/// `kam serve [--host 127.0.0.1] [--port 8080]` and `kam serve keys create|list|revoke`: the HTTP API.
///
/// It listens on 127.0.0.1 unless told otherwise, so nothing is exposed by accident.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (API keys, per-user rate limit); `serve keys` manages keys.",
        subcommands: [Keys.self]
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var config: ConfigOptions
    @Option(help: "Address to listen on (default: 127.0.0.1, this machine only).") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Prompt folder (default: $KAM_PROMPTS, ./Prompts, or the shipped set).") var prompts: String?

    func run() async throws {
        let runtime = try await AgentRuntime.open(global, config, prompts: prompts)
        let api = KAMAPI(runtime: runtime.runtime)
        Terminal.printError("kam: serving on http://\(host):\(port) (database \(global.databasePath))")
        try await api.application(host: host, port: port).runService()
    }

    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, list and revoke API keys.", subcommands: [Create.self, List.self, Revoke.self])
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key for a user; it is printed once.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let user = global.userID else {
                Terminal.printError("kam: name the key's user with --user USER (or $KAM_USER)")
                throw ExitCode.validationFailure
            }
            let runtime = try await AgentRuntime.open(global)
            let created = try runtime.attempt { try runtime.runtime.apiKeys.create(for: user) }
            Swift.print(created.plaintext)
            Terminal.printError(
                "kam: key \(created.key.id) for \(user); it is shown only now — store it, then send "
                    + "`Authorization: Bearer <key>`")
            fflush(nil)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their values).")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let keys = try runtime.attempt { try runtime.runtime.apiKeys.list(userID: global.userID) }
            for key in keys {
                Swift.print(
                    "\(key.id)  \(key.userID)  created \(Terminal.timestamp(key.createdAt))"
                        + (key.revokedAt.map { "  revoked \(Terminal.timestamp($0))" } ?? ""))
            }
            if keys.isEmpty { Swift.print("No keys. Create one with `kam serve keys create --user USER`.") }
            fflush(nil)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Key id (from `kam serve keys list`).") var id: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            try runtime.attempt { try runtime.runtime.apiKeys.revoke(id) }
            Swift.print("revoked \(id)")
            fflush(nil)
        }
    }
}
