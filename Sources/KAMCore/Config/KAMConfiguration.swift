import Foundation

/// Everything `kam.yaml` says: providers, models, which model each prompt uses, the fallback chain,
/// rate limits, budgets, price overrides, the retry policy, the thresholds of the rules and the jobs' schedules.
///
/// Every field has a default; the defaults alone (no file) are the embedded configuration: the
/// offline provider and no budgets, so KAM works on a fresh machine with no key.
public struct KAMConfiguration: Sendable, Hashable {
    /// Declared providers plus the built-in `offline`, `openai` and `anthropic`.
    public var providers: [String: ProviderConfiguration]
    /// Declared models plus the built-in `offline`.
    public var models: [String: ModelConfiguration]
    /// The model used when a prompt has none of its own.
    public var defaultModel: String
    /// Prompt id → model name.
    public var promptModels: [String: String]
    /// Models tried in order when the chosen one keeps failing.
    public var fallback: [String]
    public var rateLimits: [RateLimitConfiguration]
    public var budgets: [Budget]
    /// Time zone in which `day` and `month` budgets begin.
    public var budgetTimeZone: TimeZone
    /// Seconds an unsettled reservation keeps holding money.
    public var reservationLifetimeSeconds: Double
    /// Seconds a call that fits beside what is spent, but not beside the calls in flight, waits for them
    /// to settle before `budget.wait-expired` (`budgets.admission_wait_seconds`; 0 refuses it at once).
    public var admissionWaitSeconds: Double
    /// The PostgreSQL database everything is kept in, shared by several servers: a `postgres://` URL (`database:`;
    /// `KAM_DATABASE_URL` wins over it, and a SQLite file named by `--db` or `KAM_DB` over both). nil keeps everything
    /// in the SQLite file.
    public var databaseURL: String? = nil
    /// Where the budget and usage ledgers live when not in the store's SQLite file: a `postgres://` URL
    /// (`budgets.ledger`; `KAM_LEDGER_URL` wins over it), so that processes on several machines share one
    /// budget. nil keeps them in the store.
    public var ledgerURL: String? = nil
    /// Price override files (absolute, or relative to the configuration file), merged in order.
    public var priceOverrides: [String]
    public var retry: RetryConfiguration
    /// When suggestions fire, how leads and health are scored (`rules:`).
    public var rules: RuleThresholds
    /// What `kam serve` accepts and where it reports (`server:`).
    public var server: ServerConfiguration
    /// When the scheduled jobs run, and in which time zone (`jobs:`).
    public var jobs: JobConfiguration
    /// The support desk's addresses (`support:`).
    public var support: SupportConfiguration
    /// Rules of the rules engine written in this file (`workflows:`; the thresholds of the suggestion rules are
    /// `rules:`), merged with the shipped ones and the working folder's `rules/*.yaml` (`RuleSet.merge`).
    public var workflows: [Rule] = []
    /// Where the daily notification digests are written (`notifications:`).
    public var notifications = NotificationConfiguration()
    /// The assumptions behind estimated figures, such as the time drafts saved (`analytics:`).
    public var analytics = AnalyticsConfiguration()
    /// The ideal customer profile lead enrichment scores against (`icp:`).
    public var icp = ICPConfiguration()
    /// The weekly fine-tuning export (`exports:`).
    public var exports = ExportConfiguration()
    /// The file it was read from; `nil` for the embedded defaults.
    public var sourcePath: String?

    public init(
        providers: [String: ProviderConfiguration] = [:],
        models: [String: ModelConfiguration] = [:],
        defaultModel: String = "offline",
        promptModels: [String: String] = [:],
        fallback: [String] = [],
        rateLimits: [RateLimitConfiguration] = [],
        budgets: [Budget] = [],
        budgetTimeZone: TimeZone = TimeZone(identifier: "UTC")!,
        reservationLifetimeSeconds: Double = 600,
        admissionWaitSeconds: Double = 30,
        priceOverrides: [String] = [],
        retry: RetryConfiguration = RetryConfiguration(),
        rules: RuleThresholds = RuleThresholds(),
        server: ServerConfiguration = ServerConfiguration(),
        jobs: JobConfiguration = .defaults,
        support: SupportConfiguration = SupportConfiguration(),
        sourcePath: String? = nil
    ) {
        self.providers = ProviderConfiguration.builtIn.merging(providers) { _, declared in declared }
        self.models = ["offline": .offline].merging(models) { _, declared in declared }
        self.defaultModel = defaultModel
        self.promptModels = promptModels
        self.fallback = fallback
        self.rateLimits = rateLimits
        self.budgets = budgets
        self.budgetTimeZone = budgetTimeZone
        self.reservationLifetimeSeconds = reservationLifetimeSeconds
        self.admissionWaitSeconds = admissionWaitSeconds
        self.priceOverrides = priceOverrides
        self.retry = retry
        self.rules = rules
        self.server = server
        self.jobs = jobs
        self.support = support
        self.sourcePath = sourcePath
    }

    /// How the budget ledger admits a call that does not fit beside the calls in flight.
    public var budgetAdmission: BudgetAdmission { BudgetAdmission(waitSeconds: admissionWaitSeconds) }

    /// The configuration used when there is no file.
    public static let embeddedDefaults = KAMConfiguration()

    /// A price override path as a path to open: relative ones are taken from the configuration's folder.
    public func resolvedPriceOverridePaths() -> [String] {
        priceOverrides.map(resolved)
    }

    /// The folder of evaluation suites (`jobs.evaluations`) as a path to open: a relative one from the configuration's
    /// folder, or as it is (from the working folder) without a file.
    public func resolvedEvaluationsPath() -> String {
        resolved(jobs.evaluations)
    }

    /// The rate limits that apply to a provider's model: the model's own, then the provider-wide ones.
    public func rateLimits(provider: String, model: String) -> [RateLimitConfiguration] {
        rateLimits.filter {
            guard case .provider(let name, let limitModel) = $0.target, name == provider else { return false }
            return limitModel == nil || limitModel == model
        }
    }
}
