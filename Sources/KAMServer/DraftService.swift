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

    /// Generates and stores a pending draft for `client`, acting for `userID` (see `DraftWorkflow`).
    public func generate(client: Client, kind: DraftKind, hint: String?, userID: String?, now: Date) async throws -> Draft {
        let team = try userID.flatMap { try store.user(id: $0)?.team }
        return try await workflow.generate(
            client: client, kind: kind, hint: hint,
            attribution: CallAttribution(userID: userID, teamID: team, clientID: client.id), now: now)
    }

    /// The runner for a prompt over the chain kept for it.
    private func runner(forPrompt promptID: String) throws -> (runner: PromptRunner, route: ModelRoute) {
        let route = try configuration.route(forPrompt: promptID)
        let chain = chains.withLock { chains in
            if let chain = chains[promptID] { return chain }
            let chain = factory.resilientProvider(
                route: route, retry: configuration.retry, rateLimits: configuration.rateLimits)
            chains[promptID] = chain
            return chain
        }
        let meter = CallMeter(ledger: ledger, log: log, now: { Date() })
        return (PromptRunner(meter: meter, route: route, chain: chain.provider, counter: tokenizer), route)
    }

    private var workflow: DraftWorkflow {
        DraftWorkflow(store: store, registry: registry, tokenizer: tokenizer) { [self] in try runner(forPrompt: $0) }
    }
}
