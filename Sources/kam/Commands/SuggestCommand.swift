import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam suggest run|list|accept|undo|dismiss|snooze`: what KAM proposes, with its evidence; a person decides.
struct SuggestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Run the suggestion rules and decide on what they propose.",
        subcommands: [Run.self, List.self, Accept.self, Undo.self, Dismiss.self, Snooze.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the rules (and, with --model-suggestions, suggestions.next-best-actions) for clients.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @Argument(help: "A client (omit with --all).") var client: String?
        @Flag(help: "Every client.") var all = false
        @Flag(help: "Also ask the model for next best actions (suggestions.next-best-actions).")
        var modelSuggestions = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard (client != nil) != all else { throw ValidationError("name a CLIENT or pass --all") }
        }

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config)
            var ids: [String]? = nil
            if let client { ids = [try runtime.attempt { try runtime.client(client).id }] }
            let result = try await runtime.attempt {
                try await runtime.runtime.suggestions.run(
                    clientIDs: ids, modelSuggestions: modelSuggestions, as: runtime.user)
            }
            if json {
                print(try Terminal.json(result.outcomes.flatMap(\.added) + result.modelAdded))
            } else {
                for o in result.outcomes {
                    let moves = o.leadTransitions.map { " lead \($0.from.rawValue)→\($0.to.rawValue)" }.joined()
                    print("\(o.clientID): health \(o.health.score) (\(o.health.band.rawValue)), lead score \(o.lead.score)\(moves); "
                        + "\(o.added.count) new of \(o.proposed.count) proposed")
                    for s in o.added { print("  + [\(s.priority)] \(s.type.rawValue): \(s.title)") }
                    for s in o.resolved { print("  ✓ resolved \(s.type.rawValue): \(s.title)") }
                }
                for s in result.modelAdded { print("  + [\(s.priority)] \(s.clientID) model: \(s.title)") }
            }
            fflush(nil)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pending suggestions, highest priority first.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this client's.") var client: String?
        @Option(help: "Only priority at least this (0–100).") var priority: Int?
        @Option(help: "Only this type (follow-up, status-check, escalate, upsell, intervention, schedule-meeting, next-best-action, renewal-risk).")
        var type: SuggestionType?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let pending = try runtime.attempt {
                let clientID = try client.map { try runtime.client($0).id }
                return try runtime.runtime.suggestions.list(
                    clientID: clientID, type: type, minimumPriority: priority, as: runtime.user)
            }
            if json {
                print(try Terminal.json(pending))
            } else if pending.isEmpty {
                print("No pending suggestions. Run `kam suggest run --all`.")
            } else {
                for s in pending {
                    print("\(s.id)  [\(s.priority)]  \(s.clientID.padding(toLength: 12, withPad: " ", startingAt: 0))  "
                        + "\(s.type.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0))  \(s.title)")
                    print("      why: \(s.reasoning)")
                    if let change = s.priorityChange {
                        print("      priority \(change.base) → \(s.priority): " + change.reasons.joined(separator: "; "))
                    }
                    for e in s.evidence.prefix(3) { print("      evidence: \(e.kind) \(e.id): \(e.summary)") }
                    print("      accept → \(s.action.summary)")
                }
            }
            fflush(nil)
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept a suggestion: creates its pending task or pending draft (nothing is sent).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @Argument(help: "Suggestion id.") var id: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config)
            let accepted = try await runtime.attempt { try await runtime.runtime.suggestions.accept(id, as: runtime.user) }
            print("accepted \(id): created pending \(accepted.artifact) (`kam suggest undo \(id)` takes it back)")
            fflush(nil)
        }
    }

    struct Undo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo an accept: cancel its task (if still open) or reject its draft (if still pending).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Suggestion id.") var id: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            try runtime.attempt { try runtime.runtime.suggestions.undoAccept(id, as: runtime.user) }
            print("undid the accept of \(id); it is pending again")
            fflush(nil)
        }
    }

    struct Dismiss: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dismiss a suggestion, with the reason.",
            discussion: """
                The reason is one of not-relevant, already-done, wrong-timing, wrong-client, other, or your own words \
                (kept as the note of an `other` dismissal). It lowers the same rule's later suggestions for this \
                client in your list for a while (`kam suggest list` says why); a third already-done on one rule \
                within 30 days puts a data-quality notice in your inbox.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Suggestion id.") var id: String
        @Option(help: "not-relevant, already-done, wrong-timing, wrong-client, other, or your own words.")
        var reason: String
        @Option(help: "Your own words beside a reason of one of the kinds.") var note: String?

        func validate() throws {
            if note != nil, DismissReason(text: reason) == nil {
                throw ValidationError(
                    "with --note, --reason must be one of "
                        + DismissReason.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let dismissed = try runtime.attempt {
                if let note, let kind = DismissReason(text: reason) {
                    return try runtime.runtime.suggestions.dismiss(id, kind: kind, note: note, as: runtime.user).suggestion
                }
                return try runtime.runtime.suggestions.dismiss(id, reason: reason, as: runtime.user)
            }
            print("dismissed \(id) as \(dismissed.dismissKind?.label ?? "other"): \(dismissed.dismissReason ?? "")")
            fflush(nil)
        }
    }

    struct Snooze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hide a suggestion until a date (YYYY-MM-DD).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Suggestion id.") var id: String
        @Option(help: "The day it comes back (YYYY-MM-DD).") var until: DayArgument

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            try runtime.attempt { try runtime.runtime.suggestions.snooze(id, until: until.date, as: runtime.user) }
            print("snoozed \(id) until \(Terminal.day(until.date))")
            fflush(nil)
        }
    }
}

extension SuggestionType: ExpressibleByArgument {}
