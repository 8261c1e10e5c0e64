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
        /// Where the budget and usage ledgers are: "the store's file", or the PostgreSQL URL without its password.
        public var ledger: String
    }

    /// Loads and checks `file`, else `$KAM_CONFIG`, else `./kam.yaml` (none: the embedded defaults), and
    /// its price overrides.
    /// - Throws: `ConfigurationError` with every issue at its file:line (a missing explicit file too).
    public func check(file: String?) throws -> Checked {
        let environment = runtime.options.environment
        let configuration = try KAMConfiguration.load(explicit: file, environment: environment)
        let prices = try configuration.priceTable()
        var keysSet: [String: Bool] = [:]
        for provider in configuration.providers.values where provider.apiKeyVariable != nil {
            keysSet[provider.name] = provider.apiKey(in: environment) != nil
        }
        let ledger: String
        switch LedgerLocation(configuration: configuration, environment: environment) {
        case .store:
            ledger = "the store's file"
        case .postgres(let url):
            // Read as opening would (postgres.invalid-url names the part that is wrong), without connecting.
            let database = try PostgresStoreConfiguration(url: url)
            let origin = environment[LedgerLocation.environmentVariable]?.isEmpty == false ? "$KAM_LEDGER_URL" : "budgets.ledger"
            ledger = "\(database.labelledURL) (from \(origin))"
        }
        return Checked(configuration: configuration, prices: prices, keysSet: keysSet, ledger: ledger)
    }
}
