import ArgumentParser
import Foundation
import KAMCore
import KAMStore

/// `kam suggest run|list|accept|dismiss|snooze`: what KAM proposes, with its evidence; a person decides.
struct SuggestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Run the suggestion rules and decide on what they propose.",
        subcommands: [Run.self, List.self, Accept.self, Dismiss.self, Snooze.self]
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
            let store = try StoreOpening.open(global)
            let ids = try all ? DraftCommand.attempt { try store.listClients().map(\.id) } : [StoreOpening.resolve(client!, in: store).id]
            let now = Date()
            let outcomes = try DraftCommand.attempt {
                try SuggestionPass(store: store, rules: config.load().rules).run(clientIDs: ids, now: now, makeID: SuggestCommand.newID)
            }
            var modelAdded: [Suggestion] = []
            if modelSuggestions {
                let runtime = try await AgentRuntime.open(global, config)
                for id in ids {
                    guard let client = try DraftCommand.attempt({ try store.client(id: id) }), client.consentAIAnalysis else { continue }
                    modelAdded += try await SuggestCommand.modelSuggestions(runtime: runtime, client: client, now: now)
                }
            }
            if json {
                print(try StoreOpening.json(outcomes.flatMap(\.added) + modelAdded))
            } else {
                for o in outcomes {
                    let moves = o.leadTransitions.map { " lead \($0.from.rawValue)→\($0.to.rawValue)" }.joined()
                    print("\(o.clientID): health \(o.health.score) (\(o.health.band.rawValue)), lead score \(o.lead.score)\(moves); "
                        + "\(o.added.count) new of \(o.proposed.count) proposed")
                    for s in o.added { print("  + [\(s.priority)] \(s.type.rawValue): \(s.title)") }
                }
                for s in modelAdded { print("  + [\(s.priority)] \(s.clientID) model: \(s.title)") }
            }
            fflush(nil)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pending suggestions, highest priority first.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this client's.") var client: String?
        @Option(help: "Only priority at least this (0–100).") var priority: Int?
        @Option(help: "Only this type (follow-up, status-check, escalate, upsell, intervention, schedule-meeting, next-best-action).")
        var type: SuggestionType?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let store = try StoreOpening.open(global)
            let clientID = try client.map { try StoreOpening.resolve($0, in: store).id }
            let pending = try DraftCommand.attempt {
                try SuggestionRepository(store: store).pending(clientID: clientID, type: type, minimumPriority: priority, now: Date())
            }
            if json {
                print(try StoreOpening.json(pending))
            } else if pending.isEmpty {
                print("No pending suggestions. Run `kam suggest run --all`.")
            } else {
                for s in pending {
                    print("\(s.id)  [\(s.priority)]  \(s.clientID.padding(toLength: 12, withPad: " ", startingAt: 0))  "
                        + "\(s.type.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0))  \(s.title)")
                    print("      why: \(s.reasoning)")
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
            let store = try StoreOpening.open(global)
            let repository = SuggestionRepository(store: store)
            guard let suggestion = try DraftCommand.attempt({ try repository.suggestion(id: id) }) else {
                StoreOpening.printError("kam: no suggestion has id '\(id)'; `kam suggest list` shows them")
                throw ExitCode(StoreOpening.notFound)
            }
            guard suggestion.status == .pending || suggestion.status == .snoozed else {
                StoreOpening.printError("kam: suggestion \(id) is already \(suggestion.status.rawValue)")
                throw ExitCodes.illegalStateChange.exit
            }
            let artifact: String
            switch suggestion.action {
            case .task(let title, let days, let priority):
                let (taskID, _) = try DraftCommand.attempt {
                    try store.upsertTask(
                        ClientTask(
                            clientID: suggestion.clientID, externalID: "suggestion:\(suggestion.id)", title: title,
                            due: Date().addingTimeInterval(Double(days) * 86_400), priority: priority,
                            assignee: global.userID))
                }
                artifact = "task:\(taskID)"
            case .draft(let kind, let hint):
                let runtime = try await AgentRuntime.open(global, config)
                guard let client = try DraftCommand.attempt({ try store.client(id: suggestion.clientID) }) else {
                    throw ExitCode(StoreOpening.notFound)
                }
                let draft = try await DraftCommand.generate(
                    runtime: runtime, client: client, kind: kind, hint: hint, prompt: nil, stream: false)
                artifact = "draft:\(draft.id)"
            }
            try DraftCommand.attempt {
                try repository.decide(id: id) {
                    $0.status = .accepted
                    $0.artifact = artifact
                }
            }
            print("accepted \(id): created pending \(artifact)")
            fflush(nil)
        }
    }

    struct Dismiss: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Dismiss a suggestion, with the reason.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Suggestion id.") var id: String
        @Option(help: "Why it does not apply.") var reason: String

        func run() async throws {
            let repository = SuggestionRepository(store: try StoreOpening.open(global))
            try DraftCommand.attempt {
                try repository.decide(id: id) {
                    $0.status = .dismissed
                    $0.dismissReason = reason
                }
            }
            print("dismissed \(id): \(reason)")
            fflush(nil)
        }
    }

    struct Snooze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hide a suggestion until a date (YYYY-MM-DD).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Suggestion id.") var id: String
        @Option(help: "The day it comes back (YYYY-MM-DD).") var until: String

        func run() async throws {
            guard let date = SuggestCommand.day(until) else {
                StoreOpening.printError("kam: --until '\(until)' is not a date; use YYYY-MM-DD")
                throw ExitCode.validationFailure
            }
            let repository = SuggestionRepository(store: try StoreOpening.open(global))
            try DraftCommand.attempt {
                try repository.decide(id: id) {
                    $0.status = .snoozed
                    $0.snoozedUntil = date
                    $0.expiresAt = max($0.expiresAt, date.addingTimeInterval(7 * 86_400))
                }
            }
            print("snoozed \(id) until \(until)")
            fflush(nil)
        }
    }

    /// Asks `suggestions.next-best-actions` for a client and stores what it proposes as model suggestions.
    static func modelSuggestions(runtime: AgentRuntime, client: Client, now: Date) async throws -> [Suggestion] {
        let template = try runtime.template("suggestions.next-best-actions")
        let context = try runtime.context(for: client, budget: template.contextTokenBudget)
        let (runner, route) = try runtime.runner(forPrompt: template.id)
        let declared = Set(template.inputs.map(\.name))
        let variables = context.variables.filter { declared.contains($0.key) }
        let run: PromptRun<NextBestActions>
        do {
            run = try await runner.run(
                template, variables: variables, as: NextBestActions.self, options: runtime.options(for: route),
                attribution: try runtime.attribution(clientID: client.id))
        } catch {
            throw AgentRuntime.fail(error)
        }
        let suggestions = run.output.suggestions(clientID: client.id, now: now, makeID: newID)
        return try DraftCommand.attempt { try SuggestionRepository(store: runtime.store).add(suggestions, now: now) }
    }

    static func newID() -> String {
        "s-" + String(UInt32.random(in: .min ... .max), radix: 16).leftPadded(8, with: "0")
    }

    /// A `YYYY-MM-DD` argument (UTC midnight), with the importer's strict parser (impossible days refused).
    static func day(_ text: String) -> Date? {
        ImportDate.parse(text)
    }
}

extension SuggestionType: ExpressibleByArgument {}
