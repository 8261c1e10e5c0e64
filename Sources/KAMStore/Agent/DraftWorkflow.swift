import Foundation
import KAMCore

/// Writes and stores a pending draft for a client, the one way both `kam draft new` and the HTTP API do:
/// consent check; the prompt version (the one asked for, else the client's sticky experiment variant,
/// else the kind's `production` label), its hash recorded on first use; the client's context fitted to
/// the prompt's budget; the agent loop; the draft stored as pending.
public struct DraftWorkflow: Sendable {
    public let store: ClientStore
    public let registry: PromptRegistry
    public let tokenizer: any TokenCounting
    /// The runner and model route for a prompt id (the caller's provider chain and overrides).
    public let runner: @Sendable (_ promptID: String) throws -> (runner: PromptRunner, route: ModelRoute)

    public init(
        store: ClientStore, registry: PromptRegistry, tokenizer: any TokenCounting,
        runner: @escaping @Sendable (_ promptID: String) throws -> (runner: PromptRunner, route: ModelRoute)
    ) {
        self.store = store
        self.registry = registry
        self.tokenizer = tokenizer
        self.runner = runner
    }

    /// - Parameter reference: an explicit version (`id@2`, `id:candidate`); nil lets an experiment choose.
    /// - Throws: `DraftRefusal` when the client withheld AI-analysis consent; `PromptError`,
    ///   `ContextAssemblyError`, `BudgetError`, `ProviderError`, `PromptRunError` and store errors as they come.
    public func generate(
        client: Client, kind: DraftKind, hint: String?, reference: String? = nil, attribution: CallAttribution,
        onDelta: (@Sendable (String) -> Void)? = nil, now: Date
    ) async throws -> Draft {
        guard client.consentAIAnalysis else { throw DraftRefusal.noConsent(client) }
        var experiment: (id: String, variant: String)? = nil
        let chosen: PromptReference
        if let reference {
            chosen = try PromptReference(parsing: reference)
        } else if let running = try ExperimentRepository(writer: store.writer).running(promptID: kind.promptID) {
            let variant = running.variant(forClient: client.id)
            experiment = (running.id, variant)
            chosen = running.reference(for: variant)
        } else {
            chosen = try PromptReference(parsing: kind.promptID)
        }
        let template = try registry.use(chosen)
        let context = try ContextAssembler(
            tokenCounter: tokenizer, options: ContextAssemblyOptions(tokenBudget: template.contextTokenBudget)
        ).assemble(clientID: client.id, from: store, now: now).get()
        let (runner, route) = try runner(template.id)
        let draft = try await DraftGenerator(runner: runner).generate(
            kind: kind, hint: hint, template: template, context: context,
            options: PromptRunner.Options(
                model: route.primary.modelID, maxOutputTokens: route.primary.maxOutputTokens, onDelta: onDelta),
            attribution: attribution, id: Self.newID(), now: now, experiment: experiment)
        try DraftRepository(store: store).insert(draft)
        return draft
    }

    /// A fresh draft id: `d-` and 8 hex digits.
    public static func newID() -> String {
        let hex = String(UInt32.random(in: .min ... .max), radix: 16)
        return "d-" + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }
}

/// A draft the workflow will not write, as a value with an actionable message.
public struct DraftRefusal: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var clientID: String

    static func noConsent(_ client: Client) -> DraftRefusal {
        DraftRefusal(
            code: "draft.no-consent",
            message: "\(client.name) (\(client.id)) has not consented to AI analysis; no draft was generated. "
                + "Record their consent in the client record to enable drafts.",
            clientID: client.id)
    }

    public var description: String { message }
}
