import Foundation
import KAMCore
import KAMPostgres
import KAMResources
import KAMProviders
import KAMStore
import Logging

/// The application: the store, the configuration, the budget and usage ledgers, the prompt registry, the
/// tokenizer and the provider chains, composed once; and one service per use case over them.
///
/// `kam`, `kam serve` and every later surface open a runtime and call its services; none of them builds a
/// runner, a context or a meter itself. This is the composition root: the one place that picks the real
/// implementations of the core's protocols.
///
/// For example:
/// ```swift
/// let runtime = try await Runtime.open(RuntimeOptions(databasePath: "kam.sqlite"))
/// let draft = try await runtime.drafts.generate(
///     DraftRequest(client: "acme", kind: .followUp, hint: "mention the inspection"), as: ActingUser("maria"))
/// ```
@dynamicMemberLookup
public final class Runtime: Sendable {
    public let options: RuntimeOptions
    /// Where everything is kept: a SQLite file or a PostgreSQL database (`RuntimeOptions.database`).
    public let storage: RuntimeDatabase
    /// Every repository of `storage`, each as the core's protocol; read as the runtime's own properties
    /// (`runtime.draftStore`, `runtime.clientMemory`).
    let stores: RuntimeStores
    public let configuration: KAMConfiguration
    public let ledger: BudgetLedger
    public let log: any CallLog
    /// The PostgreSQL database of the ledgers when `budgets.ledger` or `KAM_LEDGER_URL` names one apart from the
    /// store; nil when they are in the store's database (one transaction then covers a client's erasure, ledger rows
    /// included).
    let ledgerDatabase: PostgresStore?
    public let registry: PromptRegistry
    public let runners: RunnerFactory
    /// The ids of new records.
    public let ids: IDMaker
    /// The wall clock.
    public let now: @Sendable () -> Date
    private let tokenizers: TokenizerCache
    /// Encoded contexts by client (`contextJSON`), kept while the store is unchanged and the clock has not reached
    /// the instant each would change.
    let contexts: VersionedCache<CachedContext.Key, CachedContext>
    /// Verified API keys by their hash, with their user and scope, kept while the store is unchanged.
    let verifiedKeys = VersionedCache<String, VerifiedKey>(capacity: 10_000)

    private init(
        options: RuntimeOptions, storage: RuntimeDatabase, stores: RuntimeStores, configuration: KAMConfiguration,
        ledger: BudgetLedger, log: any CallLog, ledgerDatabase: PostgresStore?, registry: PromptRegistry
    ) {
        self.options = options
        self.storage = storage
        self.stores = stores
        self.configuration = configuration
        self.ledger = ledger
        self.log = log
        self.ledgerDatabase = ledgerDatabase
        self.registry = registry
        self.ids = options.ids
        self.now = options.now
        let tokenizers = TokenizerCache()
        self.tokenizers = tokenizers
        self.contexts = VersionedCache(capacity: options.contextCacheBytes)
        self.runners = RunnerFactory(
            configuration: configuration, overrides: options.overrides,
            providers: ProviderFactory(environment: options.environment, transport: options.transport),
            ledger: ledger, log: log, counter: { try tokenizers.tokenizer() },
            recordDirectory: options.recordDirectory, clock: options.clock, now: options.now, logger: options.logger)
    }

    /// A repository of the runtime's database, as the core's protocol (`RuntimeStores`).
    public subscript<Repository>(dynamicMember path: KeyPath<RuntimeStores, Repository>) -> Repository {
        stores[keyPath: path]
    }

    /// The SQLite store, when the database is one; nil on PostgreSQL.
    public var sqliteStore: ClientStore? {
        if case .sqlite(let store) = storage { store } else { nil }
    }

    /// Opens the database (creating and migrating it): the SQLite file, or the PostgreSQL database that
    /// `options.database`, `KAM_DATABASE_URL` or `database:` names. Loads the configuration and its price table,
    /// opens the ledgers (in the database, or in the PostgreSQL database `budgets.ledger` or `KAM_LEDGER_URL` names),
    /// writes the configured budgets into them, and finds the prompt folder.
    ///
    /// - Parameter store: an already open SQLite store (an in-memory one in tests); nil opens the configured database.
    /// - Throws: `StoreError` when the SQLite file cannot be used, `ConfigurationError` for an invalid
    ///   configuration or price file, `BudgetError` for an invalid configured budget, `PostgresStoreError` when
    ///   a PostgreSQL database cannot be used (unreachable, refused credentials, a newer schema).
    public static func open(_ options: RuntimeOptions = RuntimeOptions(), store: ClientStore? = nil) async throws
        -> Runtime
    {
        let configuration = try options.configuration
            ?? KAMConfiguration.load(explicit: options.configurationFile, environment: options.environment)
        let database: RuntimeDatabase
        if let store {
            database = .sqlite(store)
        } else {
            switch options.database
                ?? StorePlace.configured(configuration, environment: options.environment, sqlitePath: options.databasePath)
            {
            case .sqlite(let path):
                database = .sqlite(try ClientStore.open(path: path, now: options.now))
            case .postgres(let url):
                database = .postgres(
                    try await PostgresStore.open(PostgresStoreConfiguration(url: url), logger: options.logger))
            }
        }
        do {
            return try await open(options, configuration: configuration, database: database)
        } catch {
            if case .postgres(let store) = database { await store.close() }
            throw error
        }
    }

    /// The rest of `open` once the database is open.
    private static func open(
        _ options: RuntimeOptions, configuration: KAMConfiguration, database: RuntimeDatabase
    ) async throws -> Runtime {
        let prices = try configuration.priceTable()
        var ledgerDatabase: PostgresStore?
        let budgetStore: any BudgetStore
        let log: any CallLog
        switch (LedgerLocation(configuration: configuration, environment: options.environment), database) {
        case (.store, .sqlite(let store)):
            (budgetStore, log) = (SQLiteBudgetStore(writer: store.writer), SQLiteCallLog(writer: store.writer))
        case (.store, .postgres(let store)):
            (budgetStore, log) = (PostgresBudgetStore(store: store), PostgresCallLog(store: store))
        case (.postgres(let url), _):
            let apart = try await PostgresStore.open(PostgresStoreConfiguration(url: url), logger: options.logger)
            ledgerDatabase = apart
            (budgetStore, log) = (PostgresBudgetStore(store: apart), PostgresCallLog(store: apart))
        }
        do {
            let ledger = BudgetLedger(
                store: budgetStore, prices: prices, timeZone: configuration.budgetTimeZone,
                reservationLifetime: configuration.reservationLifetimeSeconds, admission: configuration.budgetAdmission,
                clock: options.clock, now: options.now)
            try await ledger.apply(configured: configuration.budgets)
            // The repositories once: the registry's ledger is one of them.
            let stores = database.stores(now: options.now)
            let registry = PromptRegistry(
                directory: PromptRegistry.resolveDirectory(explicit: options.promptsDirectory),
                ledger: stores.promptVersions)
            return Runtime(
                options: options, storage: database, stores: stores, configuration: configuration, ledger: ledger, log: log,
                ledgerDatabase: ledgerDatabase, registry: registry)
        } catch {
            await ledgerDatabase?.close()
            throw error
        }
    }

    /// Whether the budget and usage ledgers are in a PostgreSQL database apart from the store's, so that a change to
    /// both is two transactions.
    public var ledgerIsShared: Bool { ledgerDatabase != nil }

    /// Closes the PostgreSQL connections of the database and the ledger, if it has any; the runtime must not be used
    /// afterwards.
    public func close() async {
        await ledgerDatabase?.close()
        if case .postgres(let store) = storage { await store.close() }
    }

    /// The exact tokenizer of `encoding` (o200k_base by default), loaded on first use: a command that
    /// calls no model never pays for it.
    public func tokenizer(_ encoding: TokenEncoding = .o200kBase) throws -> Tokenizer {
        try tokenizers.tokenizer(encoding)
    }

    // MARK: - The pieces every service shares

    /// The client's context fitted to `budget` tokens (everything when nil), with the activities of the
    /// last `activityDays` days, counted in `encoding`.
    /// - Throws: `ContextAssemblyError` (client not found, profile over the budget, store unreadable).
    public func context(
        clientID: String, budget: Int?, activityDays: Int = 30, encoding: TokenEncoding = .o200kBase
    ) throws -> AssembledContext {
        try ContextAssembler.fitted(
            clientID: clientID, options: ContextAssemblyOptions(activityDays: activityDays, tokenBudget: budget),
            memory: self.clientMemory, counter: try tokenizer(encoding), now: now())
    }

    /// The prompt version a reference names (`id`, `id@3`, `id:candidate`), its hash recorded on first use.
    public func template(_ reference: String) throws -> PromptTemplate {
        try registry.use(try PromptReference(parsing: reference))
    }

    /// Who a model call is for: the acting user and their team, and the client.
    public func attribution(_ user: ActingUser, clientID: String?) throws -> CallAttribution {
        let team = try user.id.flatMap { id in try self.clientMemory.user(id: id)?.team }
        return CallAttribution(userID: user.id, teamID: team, clientID: clientID)
    }

    /// The client a CLIENT argument names: id, name, external id, contact email or email domain.
    /// - Throws: `RuntimeError` `.notFound` (with close matches) or `.ambiguous` (with the candidates).
    public func client(_ query: String) throws -> Client {
        switch try self.clientMemory.resolveClient(query) {
        case .found(let client, _):
            return client
        case .ambiguous(let clients):
            throw RuntimeError(
                .ambiguous, code: "client.ambiguous", "'\(query)' matches \(clients.count) clients; use one of their ids", candidates: clients)
        case .notFound(let suggestions):
            throw RuntimeError(
                .notFound, code: "client.not-found", "no client matches '\(query)' (by id, name, external id, contact email or domain)",
                candidates: suggestions)
        }
    }

    // MARK: - Services

    /// Drafts: generate, edit, approve, reject, regenerate, export, mark sent.
    public var drafts: DraftService { DraftService(runtime: self) }
    public var style: StyleService { StyleService(runtime: self) }
}
