import Foundation
import KAMCore
import KAMProviders
import KAMStore
import Synchronization

/// Generates pending drafts the way `kam draft new` does, without a terminal: the kind's prompt (or
/// the client's experiment variant), the client's context fitted to the prompt's budget, the
/// configured provider chain (offline when nothing else is configured), metered against budgets.
///
/// Expected refusals are thrown as the core's typed errors; `APIError.from` gives them statuses.
public final class DraftService: Sendable {
    public let store: ClientStore
    public let configuration: KAMConfiguration
    public let ledger: BudgetLedger
    public let log: any CallLog
    public let registry: PromptRegistry
    public let tokenizer: Tokenizer
    public let factory: ProviderFactory
    /// One chain per prompt, kept for the server's life so its provider rate limits hold across requests.
    private let chains = Mutex<[String: ProviderFactory.Chain]>([:])

    public init(
        store: ClientStore, configuration: KAMConfiguration, ledger: BudgetLedger, log: any CallLog,
        registry: PromptRegistry, tokenizer: Tokenizer, factory: ProviderFactory
    ) {
        self.store = store
        self.configuration = configuration
        self.ledger = ledger
        self.log = log
        self.registry = registry
        self.tokenizer = tokenizer
        self.factory = factory
    }

    /// The service over `store` with `configuration`'s prices and budgets (applied to the store),
    /// the prompts in `promptsDirectory` and the o200k tokenizer.
    public static func open(
        store: ClientStore, configuration: KAMConfiguration, promptsDirectory: URL,
        environment: [String: String]
    ) async throws -> DraftService {
        let ledger = BudgetLedger(
            store: SQLiteBudgetStore(writer: store.writer), prices: try configuration.priceTable(),
            timeZone: configuration.budgetTimeZone, reservationLifetime: configuration.reservationLifetimeSeconds,
            now: { Date() })
        try await ledger.apply(configured: configuration.budgets)
        return DraftService(
            store: store, configuration: configuration, ledger: ledger, log: SQLiteCallLog(writer: store.writer),
            registry: PromptRegistry(
                directory: promptsDirectory, ledger: SQLitePromptVersionLedger(writer: store.writer)),
            tokenizer: try Tokenizer(encoding: .o200kBase), factory: ProviderFactory(environment: environment))
    }

    /// The client's context fitted to `budget` tokens (everything when nil).
    public func context(clientID: String, budget: Int?, now: Date) throws -> AssembledContext {
        let assembler = ContextAssembler(tokenCounter: tokenizer, options: ContextAssemblyOptions(tokenBudget: budget))
        return try assembler.assemble(clientID: clientID, from: store, now: now).get()
    }

    /// Generates and stores a pending draft for `client`, acting for `userID`.
    /// - Throws: `DraftRefusal` when the client has not consented to AI analysis; budget, provider,
    ///   prompt and store errors as the core throws them.
    public func generate(client: Client, kind: DraftKind, hint: String?, userID: String?, now: Date) async throws -> Draft {
        guard client.consentAIAnalysis else { throw DraftRefusal.noConsent(client) }
        let experiment = try ExperimentRepository(writer: store.writer).running(promptID: kind.promptID)
        let variant = experiment.map { $0.variant(forClient: client.id) }
        let reference: PromptReference
        if let experiment, let variant {
            reference = experiment.reference(for: variant)
        } else {
            reference = try PromptReference(parsing: kind.promptID)
        }
        let template = try registry.use(reference)
        let context = try self.context(clientID: client.id, budget: template.contextTokenBudget, now: now)
        let route = try configuration.route(forPrompt: kind.promptID)
        let chain = chains.withLock { chains in
            if let chain = chains[kind.promptID] { return chain }
            let chain = factory.resilientProvider(
                route: route, retry: configuration.retry, rateLimits: configuration.rateLimits)
            chains[kind.promptID] = chain
            return chain
        }
        let runner = PromptRunner(
            meter: CallMeter(ledger: ledger, log: log, now: { Date() }), route: route, chain: chain.provider,
            counter: tokenizer)
        let team = try userID.flatMap { try store.user(id: $0)?.team }
        let draft = try await DraftGenerator(runner: runner).generate(
            kind: kind, hint: hint, template: template, context: context,
            options: PromptRunner.Options(model: route.primary.modelID, maxOutputTokens: route.primary.maxOutputTokens),
            attribution: CallAttribution(userID: userID, teamID: team, clientID: client.id), id: Self.newID(), now: now,
            experiment: experiment.map { ($0.id, variant!) })
        try DraftRepository(store: store).insert(draft)
        return draft
    }

    /// A fresh draft id, `d-` and 8 hex digits, as `kam draft new` makes them.
    public static func newID() -> String {
        let hex = String(UInt32.random(in: .min ... .max), radix: 16)
        return "d-" + String(repeating: "0", count: max(0, 8 - hex.count)) + hex
    }
}

/// A draft the service will not write, as a value with an actionable message.
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
