import Foundation
import KAMCore
import KAMProviders
import Logging

/// What `Runtime.open` needs to compose KAM: where the database, configuration and prompts are, the
/// model overrides of this one invocation, and the injected clock, ids and transport.
///
/// Every parameter has a default, so `RuntimeOptions()` is the embedded defaults: `./kam.sqlite`,
/// `$KAM_CONFIG` or `./kam.yaml` (none: the offline provider), `$KAM_PROMPTS`, `./Prompts` or the shipped set.
public struct RuntimeOptions: Sendable {
    /// The SQLite file (created and migrated when missing), when the configuration names no PostgreSQL database.
    public var databasePath: String
    /// The database, when the caller names one (`--db`, `$KAM_DB`: a SQLite file); nil is `$KAM_DATABASE_URL`, else
    /// `database:` of the configuration, else the SQLite file at `databasePath` (`StorePlace.configured`).
    public var database: StorePlace?
    /// The configuration file; nil looks for `$KAM_CONFIG`, then `./kam.yaml`, then uses the defaults.
    public var configurationFile: String?
    /// The configuration itself, when the caller already has one (tests, a server reloading); wins over the file.
    public var configuration: KAMConfiguration?
    /// The prompt folder; nil looks for `$KAM_PROMPTS`, then `./Prompts`, then the shipped prompts.
    public var promptsDirectory: String?
    /// The folder of rule files (`rules/*.yaml`); nil is `$KAM_RULES`, else `./rules` (no folder: the shipped rules and
    /// kam.yaml's `workflows:` only).
    public var rulesDirectory: String?
    /// `--provider`, `--model`, `--base-url` for this invocation: they win over the file.
    public var overrides: ModelOverrides
    /// Record every live model call into this folder, for the replay provider.
    public var recordDirectory: URL?
    /// The process environment: keys, `KAM_*` variables.
    public var environment: [String: String]
    /// The wall clock for timestamps (drafts, activities, budgets' periods).
    public var now: @Sendable () -> Date
    /// The clock retries and rate limits wait on.
    public var clock: any Clock<Duration>
    /// The ids of new records.
    public var ids: IDMaker
    /// The HTTP transport of the remote providers (a fake in tests).
    public var transport: any HTTPTransport
    /// The HTTP transport of outbound webhooks: `transport` when that is a fake, else the live client with a short
    /// connect timeout (`AsyncHTTPClientTransport.webhooks`), so that a receiver that does not take the connection
    /// fails fast and `WebhookRetryPolicy` decides when to try again.
    public var webhookTransport: any HTTPTransport
    /// Where warnings go that a person should see (a provider left out of a chain for a missing key).
    public var logger: Logger
    /// The most the contexts the server keeps encoded may take together, in bytes (`Runtime.contextJSON`; ~21 kB a
    /// client with 30 days of activities, so 256 MiB holds ~12,000 clients: every client of a 10k-client store, which
    /// 128 MiB could not, so a uniform mix of clients found about half of them kept at best); 0 keeps none.
    public var contextCacheBytes = 256 << 20

    public init(
        databasePath: String = "kam.sqlite", database: StorePlace? = nil, configurationFile: String? = nil, configuration: KAMConfiguration? = nil,
        promptsDirectory: String? = nil, rulesDirectory: String? = nil,
        overrides: ModelOverrides = ModelOverrides(), recordDirectory: URL? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        now: @escaping @Sendable () -> Date = { Date() }, clock: any Clock<Duration> = ContinuousClock(),
        ids: IDMaker = IDMaker(), transport: any HTTPTransport = AsyncHTTPClientTransport.shared,
        webhookTransport: (any HTTPTransport)? = nil, logger: Logger = Logger(label: "kam.runtime")
    ) {
        self.databasePath = databasePath
        self.database = database
        self.configurationFile = configurationFile
        self.configuration = configuration
        self.promptsDirectory = promptsDirectory
        self.rulesDirectory = rulesDirectory
        self.overrides = overrides
        self.recordDirectory = recordDirectory
        self.environment = environment
        self.now = now
        self.clock = clock
        self.ids = ids
        self.transport = transport
        self.webhookTransport = webhookTransport ?? (transport is AsyncHTTPClientTransport ? AsyncHTTPClientTransport.webhooks : transport)
        self.logger = logger
    }
}
