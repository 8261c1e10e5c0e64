import Foundation
import KAMCore
import KAMPostgres
import KAMResources

/// Checks a configuration file (`kam config check`) before anything runs with it: every problem at its
/// file:line, then what the file configures and whether each provider's key is set.
///
/// The file checked need not be the runtime's own configuration: a runtime opened on the defaults can
/// report on a `kam.yaml` too broken to open one with.
///
/// For example:
/// ```swift
/// let checked = try runtime.config.check(file: "kam.yaml")  // ConfigurationError: kam.yaml:4: providers.openai.kind ...
/// print(checked.prices.models.count)
/// ```
public struct ConfigService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// A valid configuration with its price table and which providers' keys the environment holds.
    public struct Checked: Sendable {
        public var configuration: KAMConfiguration
        public var prices: PriceTable
        /// Provider name → whether its key variable is set (only providers that name one).
        public var keysSet: [String: Bool]
        /// Where everything is kept: the SQLite file, or the PostgreSQL URL without its password and what named it.
        public var database: String
        /// Where the budget and usage ledgers are: "the store's file" (or "database" on PostgreSQL), or the PostgreSQL
        /// URL of their own database without its password.
        public var ledger: String
    }

    /// Loads and checks `file`, else `$KAM_CONFIG`, else `./kam.yaml` (none: the embedded defaults), and
    /// its price overrides, and names the databases they and `environment` choose (without connecting).
    ///
    /// - Parameters:
    ///   - database: the database the command line names (`--db`, `KAM_DB`), over the configuration's.
    ///   - environment: where `KAM_DATABASE_URL`, `KAM_LEDGER_URL` and the keys' variables are read; nil is the
    ///     runtime's.
    /// - Throws: `ConfigurationError` with every issue at its file:line (a missing explicit file too);
    ///   `PostgresStoreError` `.invalidURL` for a database URL that does not read.
    public func check(file: String?, database explicit: StorePlace? = nil, environment: [String: String]? = nil)
        throws -> Checked
    {
        let environment = environment ?? runtime.options.environment
        let configuration = try KAMConfiguration.load(explicit: file, environment: environment)
        let prices = try configuration.priceTable()
        var keysSet: [String: Bool] = [:]
        for provider in configuration.providers.values where provider.apiKeyVariable != nil {
            keysSet[provider.name] = provider.apiKey(in: environment) != nil
        }
        let place = explicit ?? StorePlace.configured(configuration, environment: environment, sqlitePath: runtime.options.databasePath)
        let ledger: String
        switch LedgerLocation(configuration: configuration, environment: environment) {
        case .store:
            if case .postgres = place { ledger = "the store's database" } else { ledger = "the store's file" }
        case .postgres(let url):
            // Read as opening would (postgres.invalid-url names the part that is wrong), without connecting.
            let database = try PostgresStoreConfiguration(url: url)
            let origin = environment[LedgerLocation.environmentVariable]?.isEmpty == false ? "$KAM_LEDGER_URL" : "budgets.ledger"
            ledger = "\(database.labelledURL) (from \(origin))"
        }
        let database: String
        switch place {
        case .sqlite(let path):
            database = "SQLite \(path)"
        case .postgres(let url):
            let origin = explicit != nil ? "the command line" : environment[RuntimeDatabase.environmentVariable]?.isEmpty == false
                ? "$KAM_DATABASE_URL" : "database:"
            database = "\(try PostgresStoreConfiguration(url: url).labelledURL) (from \(origin))"
        }
        return Checked(configuration: configuration, prices: prices, keysSet: keysSet, database: database, ledger: ledger)
    }
}
