import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam keys create|list|revoke`: API keys of `kam serve`, one user each, shown once and stored hashed.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke API keys of `kam serve` (shown once, stored hashed).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// What `create --json` prints: the key's record and, once, its plaintext.
    struct Created: Encodable {
        var key: APIKey
        var plaintext: String
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key for --user; it is printed once.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "How long the key works: 30d, 12h, 45m or 90s (default: until revoked).") var expiresIn: String?
        @Flag(help: "Print the key and its record as JSON.") var json = false

        func run() async throws {
            guard let user = global.userID else {
                Terminal.printError("kam: name the key's user with --user USER (or $KAM_USER)")
                throw ExitCode.validationFailure
            }
            let runtime = try await AgentRuntime.open(global)
            let created = try runtime.attempt {
                try runtime.runtime.apiKeys.create(
                    for: user, expiresIn: try expiresIn.map { try APIKeyService.lifetime($0) }, as: runtime.user)
            }
            if json {
                print(try Terminal.json(Created(key: created.key, plaintext: created.plaintext)))
            } else {
                print(created.plaintext)
                Terminal.printError(
                    "kam: key \(created.key.id) for \(user)"
                        + (created.key.expiresAt.map { ", expires \(Terminal.timestamp($0))" } ?? "")
                        + "; it is shown only now — store it, then send `Authorization: Bearer <key>`")
            }
            fflush(nil)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys, of --user only when given (never their values).")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON array.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let keys = try runtime.attempt { try runtime.runtime.apiKeys.list(userID: global.userID) }
            if json {
                print(try Terminal.json(keys))
            } else if keys.isEmpty {
                print("No keys. Create one with `kam keys create --user USER`.")
            } else {
                for key in keys {
                    print(
                        "\(key.id)  \(key.userID)  created \(Terminal.timestamp(key.createdAt))"
                            + (key.expiresAt.map { "  expires \(Terminal.timestamp($0))" } ?? "")
                            + (key.revokedAt.map { "  revoked \(Terminal.timestamp($0))" } ?? ""))
                }
            }
            fflush(nil)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Key id (from `kam keys list`).") var id: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            try runtime.attempt { try runtime.runtime.apiKeys.revoke(id, as: runtime.user) }
            print("revoked \(id)")
            fflush(nil)
        }
    }
}
