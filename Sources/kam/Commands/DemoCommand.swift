import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam demo`: the main job on embedded defaults. Seeds eight realistic accounts and five support tickets
/// (analysed), runs the suggestion rules, drafts two messages (offline unless a provider is configured), and
/// shows them.
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
        let agent = try await AgentRuntime.open(global, config)
        let runtime = agent.runtime
        let seeded = try agent.attempt { try runtime.demo.seed() }
        let (summary, counts) = (seeded.summary, seeded.counts)
        print("Demo accounts in \(runtime.storage.label): \(summary.clients.created) created, \(summary.clients.updated) updated.")
        print("Store: \(counts.clients) clients, \(counts.contacts) contacts, \(counts.activities) activities, \(counts.deals) deals, \(counts.tasks) tasks, \(counts.orders) orders, \(counts.memory) memory items")
        // The support tickets are read (sentiment, urgency, topics) before the suggestions, so the health score's
        // support factor counts them; a second run finds none left to read.
        let analysed = try await agent.attempt { try await runtime.support.analyse(as: agent.user) }
        print(
            "Support tickets: \(seeded.tickets.created) created, \(seeded.tickets.unchanged + seeded.tickets.updated) already there, "
                + "\(analysed.filter { $0.analysis != nil }.count) analysed (`kam tickets list`, `kam tickets insights acme`)")
        if let imported = seeded.campaign, let campaign = imported.campaigns.first {
            print(
                "Campaign: '\(campaign.name)' imported, \(imported.recipients) recipients, \(imported.linkedToContacts) linked to "
                    + "contacts, \(imported.engagedClients) clients engaged (`kam campaigns show \(campaign.id)`, "
                    + "`kam campaigns insights \(campaign.id)`)")
        } else {
            print("Campaign: the demo's product update is already there (`kam campaigns list`)")
        }
        let edits = seeded.edits
        print(
            "Approved edits: \(edits.created) created, \(edits.unchanged) already there, by \(edits.writers.joined(separator: " and ")) "
                + "(`kam style show \(edits.writers.first ?? "maria")`, `kam style evaluate`)")
        print("")

        let clients = try agent.attempt { try runtime.clients.list(as: .anonymous) }
        let outcomes = try await agent.attempt {
            try await runtime.suggestions.run(clientIDs: clients.map(\.id), modelSuggestions: false, as: agent.user)
        }.outcomes
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
        let pending = try agent.attempt { try runtime.suggestions.list(as: .anonymous) }
        print("\n\(pending.count) pending suggestions (`kam suggest list`); the top three:")
        for s in pending.prefix(3) { print("  [\(s.priority)] \(s.clientID): \(s.title) → \(s.action.summary)") }

        if let target = clients.first(where: { $0.id == show }) {
            // Room for the whole demo account, names fenced as untrusted text included.
            let budget = 800
            let context = try agent.attempt { try runtime.context(clientID: target.id, budget: budget) }
            print("\nContext for \(target.name) (\(context.totalTokens) tokens of a \(budget)-token budget, \(context.dropped.count) items dropped):")
            print(context.text)

            for (clientID, kind, hint) in [
                (show, DraftKind.dealUpdate, "ask what is holding the renewal in negotiation"),
                ("globex", DraftKind.taskReminder, "the renewal quote we promised is overdue"),
            ] {
                guard let client = clients.first(where: { $0.id == clientID }) else { continue }
                let existing = try agent.attempt {
                    try runtime.drafts.list(clientID: clientID, status: .pending, as: .anonymous).first { $0.kind == kind && $0.hint == hint }
                }
                let draft: Draft
                if let existing {
                    draft = existing
                } else {
                    draft = try await agent.attempt {
                        try await runtime.drafts.generate(client: client, kind: kind, hint: hint, as: agent.user)
                    }
                }
                print("")
                try Terminal.print(draft, json: false)
            }
        }
        let keys = try agent.attempt { try runtime.demo.tryKeys() }
        if !keys.isEmpty {
            print("\nTeam server keys, one per role (new on each run, shown only now): `kam serve`, then")
            print("`curl -H \"Authorization: Bearer KEY\" http://127.0.0.1:8080/clients` shows what each one sees.")
            for key in keys {
                print(
                    "  " + key.role.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
                        + "\(key.user.id) (\(key.user.name); \(key.reach))".padding(toLength: 48, withPad: " ", startingAt: 0)
                        + key.plaintext)
            }
        }
        print("\nNext: `kam draft list`, `kam draft approve ID`, `kam suggest list`, `kam plan`, `kam context globex`.")
        fflush(nil)
    }
}
