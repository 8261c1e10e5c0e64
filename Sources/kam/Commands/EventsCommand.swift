import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

extension EventKind: ExpressibleByArgument {}

/// `kam events list`: the domain events every write appends (`docs/events.md`), oldest first.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "The event log: one typed event for every write (clients, contacts, activities, emails, deals, ...).",
        subcommands: [List.self, Failures.self]
    )

    struct Failures: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Events a consumer set aside after its handling failed five passes in a row, newest first (admin).",
            discussion: """
                A consumer (the rules, the webhooks' fan-out, the plans) that fails on the same events five times hands \
                them over one at a time and sets aside the one that fails, so the events after it go on. The error \
                says what to fix; the event itself is in `kam events list`.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this consumer's (rules, webhooks, daily-plans).") var consumer: String?
        @Option(help: "At most this many.") var limit = 100
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let failures = try runtime.attempt { try runtime.runtime.events.failures(consumer: consumer, limit: limit, as: runtime.user) }
            if json {
                print(try Terminal.json(failures))
                return
            }
            guard !failures.isEmpty else {
                print("no event was set aside")
                return
            }
            for line in TextTable.lines(
                [["AT", "CONSUMER", "EVENT", "KIND", "ERROR"]]
                    + failures.map { [Terminal.timestamp($0.failedAt), $0.consumer, String($0.eventID), $0.kind, $0.error] })
            {
                print(line)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List events oldest first; page on with --after the last id shown. Only an admin may.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only events after this id.") var after: Int64 = 0
        @Option(help: "Only this kind: \(EventKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: [EventKind] = []
        @Option(help: "Only events of this client (its id).") var client: String?
        @Option(help: "At most this many.") var limit = 100
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard after >= 0 else { throw ValidationError("--after is an event id, 0 or more") }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit is between 1 and 10000") }
        }

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let events = try runtime.attempt {
                try runtime.runtime.events.list(
                    after: after, kinds: kind.isEmpty ? nil : kind, clientID: client, limit: limit, as: runtime.user)
            }
            if json {
                print(try Terminal.json(events))
                return
            }
            guard !events.isEmpty else {
                print("no events after \(after)")
                return
            }
            for line in TextTable.lines(
                [["ID", "AT", "KIND", "CLIENT", "SUBJECT", "PAYLOAD"]]
                    + events.map {
                        [String($0.id), Terminal.timestamp($0.occurredAt), $0.kind, $0.clientID ?? "-", $0.subjectID ?? "-", $0.payload]
                    })
            {
                print(line)
            }
        }
    }
}
