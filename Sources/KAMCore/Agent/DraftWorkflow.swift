import Foundation

/// Writes and stores a pending draft for a client, the one way every surface does: consent check; the
/// prompt version (the one asked for, else the client's sticky experiment variant, else the kind's
/// `production` label), its hash recorded on first use; the client's context fitted to the prompt's
/// budget; the agent loop; the draft stored as pending.
///
/// Pure: it reads and writes through the core's protocols, and ids and time are injected.
///
/// For example:
/// ```swift
/// let workflow = DraftWorkflow(
///     memory: store, drafts: DraftRepository(store: store), experiments: ExperimentRepository(writer: store.writer),
///     registry: registry, tokenizer: tokenizer, runners: runnerFactory, ids: IDMaker(), now: now)
/// let draft = try await workflow.generate(client: acme, kind: .followUp, hint: nil, attribution: attribution)
/// ```
public struct DraftWorkflow: Sendable {
    public var memory: any ClientMemoryReading
    public var drafts: any DraftStoring
    public var experiments: any RunningExperimentLookup
    public var registry: PromptRegistry
    public var tokenizer: any TokenCounting
    public var runners: any PromptRunnerMaking
    public var ids: IDMaker
    public var now: @Sendable () -> Date

    public init(
        memory: any ClientMemoryReading, drafts: any DraftStoring, experiments: any RunningExperimentLookup,
        registry: PromptRegistry, tokenizer: any TokenCounting, runners: any PromptRunnerMaking, ids: IDMaker,
        now: @escaping @Sendable () -> Date
    ) {
        self.memory = memory
        self.drafts = drafts
        self.experiments = experiments
        self.registry = registry
        self.tokenizer = tokenizer
        self.runners = runners
        self.ids = ids
        self.now = now
    }

    /// - Parameters:
    ///   - reference: an explicit version (`id@2`, `id:candidate`); nil lets an experiment choose.
    ///   - style: the writer's style sections (`StyleProfile.section`), appended to the context within its budget.
    /// - Throws: `DraftRefusal` when the client withheld AI-analysis consent; `PromptError`,
    ///   `ContextAssemblyError`, `BudgetError`, `ProviderError`, `PromptRunError` and store errors as they come.
    public func generate(
        client: Client, kind: DraftKind, hint: String?, reference: String? = nil, attribution: CallAttribution,
        extraVariables: [String: JSONValue] = [:], style: String? = nil, onDelta: (@Sendable (String) -> Void)? = nil
    ) async throws -> Draft {
        let draft = try await write(
            client: client, kind: kind, hint: hint, reference: reference, attribution: attribution,
            extraVariables: extraVariables, style: style, onDelta: onDelta)
        try drafts.insert(draft)
        return draft
    }

    /// The pending draft `generate` stores, written (the model called, the call metered) but not stored: for a
    /// caller that stores it in a transaction of its own (a rule's `draft` action, with its execution's log).
    public func write(
        client: Client, kind: DraftKind, hint: String?, reference: String? = nil, attribution: CallAttribution,
        extraVariables: [String: JSONValue] = [:], style: String? = nil, onDelta: (@Sendable (String) -> Void)? = nil
    ) async throws -> Draft {
        guard client.consentAIAnalysis else { throw DraftRefusal.noConsent(client) }
        var experiment: (id: String, variant: String)? = nil
        let chosen: PromptReference
        if let reference {
            chosen = try PromptReference(parsing: reference)
        } else if let running = try experiments.running(promptID: kind.promptID) {
            let variant = running.variant(forClient: client.id)
            experiment = (running.id, variant)
            chosen = running.reference(for: variant)
        } else {
            chosen = try PromptReference(parsing: kind.promptID)
        }
        let template = try registry.use(chosen)
        let at = now()
        // The style sections come last and count against the same budget: the client's memory gets what they leave.
        let styleTokens = style.map(tokenizer.countTokens) ?? 0
        var context = try ContextAssembler.fitted(
            clientID: client.id, budget: template.contextTokenBudget.map { max(0, $0 - styleTokens) }, memory: memory,
            counter: tokenizer, now: at)
        if let style {
            // Whole lines (the context and each section end with a newline, and a section starts with `#`) add up for
            // an exact tokenizer, so the sections' count is added instead of counting the whole text again.
            let joins = context.text.isEmpty || context.text.hasSuffix("\n")
            context.text += (joins ? "" : "\n") + style
            context.totalTokens =
                joins && tokenizer.countsAddUpOverWholeLines
                ? context.totalTokens + styleTokens : tokenizer.countTokens(context.text)
            context.budget = template.contextTokenBudget
        }
        let routed = try runners.runner(forPrompt: template.id)
        return try await DraftGenerator(runner: routed.runner).generate(
            kind: kind, hint: hint, template: template, context: context, extraVariables: extraVariables,
            options: routed.options(onDelta: onDelta),
            attribution: attribution, id: ids.make(.draft), now: at, experiment: experiment)
    }
}
