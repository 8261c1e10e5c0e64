import ArgumentParser
import Foundation
import KAMCore
import KAMStore

/// `kam demo`: the main job on embedded defaults. Seeds eight realistic accounts, runs the suggestion
/// rules, drafts two messages (offline unless a provider is configured), and shows them.
///
/// Idempotent: accounts are upserted by external id, suggestions deduplicate, and a client that
/// already has a pending demo draft of that kind does not get another one.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill the database with realistic demo accounts and show what KAM does with them."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var config: ConfigOptions
    @Option(help: "The client whose context is shown.") var show = "acme"

    func run() async throws {
        let store = try StoreOpening.open(global)
        let now = Date()
        let summary = try DraftCommand.attempt { try DemoSeeder.seedDemo(into: store, now: now) }
        let counts = try DraftCommand.attempt { try store.counts() }
        print("Demo accounts in \(global.databasePath): \(summary.clients.created) created, \(summary.clients.updated) updated.")
        print("Store: \(counts.clients) clients, \(counts.contacts) contacts, \(counts.activities) activities, \(counts.deals) deals, \(counts.tasks) tasks, \(counts.orders) orders, \(counts.memory) memory items")
        print("")

        let clients = try DraftCommand.attempt { try store.listClients() }
        let outcomes = try DraftCommand.attempt {
            try SuggestionPass(store: store, rules: config.load().rules).run(clientIDs: clients.map(\.id), now: now, makeID: SuggestCommand.newID)
        }
        print("CLIENT        HEALTH  LEAD         SITUATION")
        for client in clients {
            let outcome = outcomes.first { $0.clientID == client.id }
            let top = outcome?.proposed.max { $0.priority < $1.priority }
            let consent = client.consentAIAnalysis ? "" : " [no AI-analysis consent]"
            print(
                client.id.padding(toLength: 12, withPad: " ", startingAt: 0) + "  "
                    + String(outcome?.health.score ?? 0).leftPadded(6) + "  "
                    + client.leadStatus.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) + "  "
                    + (top.map { "\($0.type.rawValue): \($0.reasoning)" } ?? "nothing needs attention") + consent)
        }
        let pending = try DraftCommand.attempt { try SuggestionRepository(store: store).pending(now: now) }
        print("\n\(pending.count) pending suggestions (`kam suggest list`); the top three:")
        for s in pending.prefix(3) { print("  [\(s.priority)] \(s.clientID): \(s.title) → \(s.action.summary)") }

        if let target = clients.first(where: { $0.id == show }) {
            let runtime = try await AgentRuntime.open(global, config)
            let context = try runtime.context(for: target, budget: 600)
            print("\nContext for \(target.name) (\(context.totalTokens) tokens of a 600-token budget, \(context.dropped.count) items dropped):")
            print(context.text)

            let repository = DraftRepository(store: store)
            for (clientID, kind, hint) in [
                (show, DraftKind.dealUpdate, "ask what is holding the renewal in negotiation"),
                ("globex", DraftKind.taskReminder, "the renewal quote we promised is overdue"),
            ] {
                guard let client = clients.first(where: { $0.id == clientID }) else { continue }
                let existing = try DraftCommand.attempt {
                    try repository.list(clientID: clientID, status: .pending).first { $0.kind == kind && $0.hint == hint }
                }
                let draft: Draft
                if let existing {
                    draft = existing
                } else {
                    draft = try await DraftCommand.generate(
                        runtime: runtime, client: client, kind: kind, hint: hint, prompt: nil, stream: false)
                }
                print("")
                try DraftCommand.print(draft, json: false)
            }
        }
        print("\nNext: `kam draft list`, `kam draft approve ID`, `kam suggest list`, `kam plan`, `kam context globex`.")
        fflush(nil)
    }
}
