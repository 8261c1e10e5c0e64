import Foundation
import KAMCore
import KAMStore

/// The demo accounts (`kam demo`): eight realistic clients, a few of their support tickets, an email campaign sent to
/// their people and a dozen drafts two writers edited and approved, upserted by id, so seeding twice updates the same
/// rows and adds nothing.
public struct DemoService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// What seeding wrote, and what the store holds afterwards.
    public struct Seeded: Sendable {
        public var summary: ImportSummary
        /// The demo's support tickets (`DemoSeeder.seedTickets`): created the first time, unchanged after.
        public var tickets: TicketImportOutcome
        /// The demo's campaign (`DemoSeeder.seedCampaign`) when this run imported it; nil when it was there already.
        public var campaign: CampaignImportSummary?
        /// The drafts the demo's writers edited and approved before today (`DemoEdit.shipped()`): their style profiles.
        public var edits: DemoSeeder.EditsOutcome
        public var counts: StoreCounts
    }

    /// A key made for trying the server's isolation: whose it is and what they reach.
    public struct TryKey: Sendable {
        public var role: UserRole
        public var user: UserAccount
        /// What the user sees, for a person: `owns initech`, `team enterprise`, `everything`.
        public var reach: String
        public var plaintext: String
    }

    /// New API keys for one demo member, one manager and the admin (shown once, stored hashed), so a person
    /// can run `kam serve` and see each role's view at once. A key cannot be shown twice, so every demo run makes
    /// three new ones; they expire after `tryKeyLifetime` so try-out keys do not pile up as live credentials.
    public static let tryKeyLifetime: TimeInterval = 7 * 86_400

    public func tryKeys() throws -> [TryKey] {
        let users = try runtime.userStore.accounts()
        let clients = try runtime.clientMemory.listClients()
        return try [("leo", UserRole.member), ("tom", .manager), ("maria", .admin)].compactMap { id, role in
            guard let user = users.first(where: { $0.id == id && $0.role == role && !$0.isDisabled }) else { return nil }
            let reach: String
            switch role {
            case .member: reach = "owns " + clients.filter { $0.ownerID == id }.map(\.id).joined(separator: ", ")
            case .manager: reach = "team \(user.team ?? "-")"
            case .admin: reach = "everything"
            }
            let key = try runtime.apiKeys.create(for: id, expiresIn: Self.tryKeyLifetime, as: ActingUser(id))
            return TryKey(role: role, user: user, reach: reach, plaintext: key.plaintext)
        }
    }

    /// Upserts the demo accounts, their support tickets, the campaign and the drafts their writers edited and approved, dated
    /// relative to the runtime's clock, through the runtime's repositories: the same rows and events on a SQLite file
    /// and on PostgreSQL (`DemoSeedingTests`), beside whatever the database holds already.
    public func seed() throws -> Seeded {
        let now = runtime.now()
        let summary = try DemoSeeder.seedDemo(into: runtime.importTarget, users: runtime.userStore, now: now)
        let tickets = try DemoSeeder.seedTickets(into: runtime.supportTickets, now: now)
        let campaign = try DemoSeeder.seedCampaign(into: runtime.campaignStore, now: now)
        let registry = runtime.registry
        let counter = try runtime.tokenizer()
        let memory = runtime.clientMemory
        // Each edited draft keeps the prompt its kind's production version renders for its client now, as a draft the
        // model wrote would: what `kam export` rebuilds a training example from.
        let edits = try DemoSeeder.seedApprovedEdits(
            try DemoEdit.shipped(),
            prompt: { edit in
                let template = try registry.use(PromptReference(promptID: edit.kind.promptID))
                let context = try ContextAssembler.fitted(
                    clientID: edit.client, budget: template.contextTokenBudget, memory: memory, counter: counter, now: now)
                let rendered = try template.render(DraftGenerator.variables(kind: edit.kind, hint: nil, template: template, context: context))
                return (template, DraftGenerator.messagesJSON(rendered.messages), context.text)
            },
            into: runtime.draftStore, now: now)
        return Seeded(summary: summary, tickets: tickets, campaign: campaign, edits: edits, counts: try memory.counts())
    }
}
