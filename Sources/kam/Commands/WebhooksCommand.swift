import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam webhooks add|list|remove|deliveries|deliver` and `kam webhooks sources add|list|disable`: outbound
/// subscriptions to KAM's events and the signed inbound sources of `POST /webhooks/email`.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Outbound webhooks (subscriptions, delivery log) and the inbound email webhook's sources.",
        subcommands: [Add.self, List.self, Remove.self, Deliveries.self, Deliver.self, Sources.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Subscribe a URL to events; deliveries are POSTed as JSON and signed (X-KAM-Signature).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The receiver's http(s) URL.") var url: String
        @Option(help: "Comma-separated events: \(EventKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var events: String
        @Option(help: "The signing secret (default: a new one, printed once).") var secret: String?
        @Option(help: "Read the signing secret from this environment variable at each delivery instead of storing it.")
        var secretEnv: String?
        @Flag(help: "Print the subscription (and a new secret) as JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let kinds = try events.split(separator: ",").map { name in
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let kind = EventKind(rawValue: trimmed) else {
                    throw ValidationError(
                        "unknown event '\(trimmed)'; use \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return kind
            }
            let added = try runtime.attempt {
                try runtime.runtime.webhooks.subscribe(
                    url: url, events: kinds, secret: secret, secretEnv: secretEnv, as: runtime.user)
            }
            if json {
                print(try Terminal.json(added))
                return
            }
            print("added webhook \(added.subscription.id): \(added.subscription.url) (\(added.subscription.events.joined(separator: ", ")))")
            if let secret = added.secret {
                print("secret (shown once; verify X-KAM-Signature with it): \(secret)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the webhook subscriptions (never their secrets).")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let subscriptions = try runtime.attempt { try runtime.runtime.webhooks.listSubscriptions() }
            if json {
                print(try Terminal.json(subscriptions))
                return
            }
            guard !subscriptions.isEmpty else {
                print("no webhooks; add one with `kam webhooks add URL --events draft.approved`")
                return
            }
            for line in TextTable.lines(
                [["ID", "STATUS", "URL", "EVENTS"]]
                    + subscriptions.map {
                        [$0.id, $0.disabledAt == nil ? "active" : "removed", $0.url, $0.events.joined(separator: ",")]
                    })
            {
                print(line)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop delivering to a subscription.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Subscription id (`kam webhooks list`).") var id: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            try runtime.attempt { try runtime.runtime.webhooks.unsubscribe(id, as: runtime.user) }
            print("removed webhook \(id)")
        }
    }

    struct Deliveries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The delivery log, newest first.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Only deliveries that failed their last attempt.") var failed = false
        @Option(help: "At most this many.") var limit = 50
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let deliveries = try runtime.attempt { try runtime.runtime.webhooks.deliveries(failedOnly: failed, limit: limit) }
            if json {
                print(try Terminal.json(deliveries))
                return
            }
            guard !deliveries.isEmpty else {
                print(failed ? "no failed deliveries" : "no deliveries yet")
                return
            }
            for line in TextTable.lines(
                [["ID", "EVENT", "STATUS", "ATTEMPTS", "HTTP", "NEXT", "URL"]]
                    + deliveries.map {
                        [
                            "\($0.id)", $0.eventKind, $0.status.rawValue, "\($0.attempts)",
                            $0.responseStatus.map(String.init) ?? "-",
                            $0.nextAttemptAt.map(Terminal.timestamp) ?? "-", $0.url,
                        ]
                    })
            {
                print(line)
            }
        }
    }

    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliver what is due now, once (`kam serve` does this every few seconds).")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let report = try await runtime.attempt { try await runtime.runtime.webhooks.deliverDue() }
            if json {
                print(try Terminal.json(report))
                return
            }
            print(
                "attempted \(report.attempted): delivered \(report.delivered), retrying \(report.retrying), "
                    + "failed \(report.failed)")
        }
    }

    struct Sources: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sources",
            abstract: "The signed sources of the inbound email webhook (POST /webhooks/email).",
            subcommands: [AddSource.self, ListSources.self, DisableSource.self]
        )
    }

    struct AddSource: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a source (or give it a new secret); the secret is printed once.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The source's name, sent as X-KAM-Source.") var name: String
        @Option(help: "Read the secret from this environment variable of `kam serve` instead of storing it.")
        var secretEnv: String?

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let secret = try runtime.attempt { try runtime.runtime.webhooks.addSource(name, secretEnv: secretEnv, as: runtime.user) }
            if let secret {
                print("added source \(name); its secret (shown once): \(secret)")
            } else {
                print("added source \(name); its secret is read from $\(secretEnv ?? "") when a request arrives")
            }
        }
    }

    struct ListSources: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the sources (never their secrets).")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let sources = try runtime.attempt { try runtime.runtime.webhooks.listSources() }
            if json {
                print(try Terminal.json(sources))
                return
            }
            for source in sources {
                let secret = source.secretEnv.map { "secret in $\($0)" } ?? "secret stored"
                print("\(source.name)\t\(source.disabledAt == nil ? "enabled" : "disabled")\t\(secret)")
            }
        }
    }

    struct DisableSource: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "Refuse a source's requests from now on.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The source's name.") var name: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            try runtime.attempt { try runtime.runtime.webhooks.disableSource(name, as: runtime.user) }
            print("disabled source \(name)")
        }
    }
}
