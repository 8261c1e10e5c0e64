/// Where the budget and usage ledgers are kept: in the store's SQLite file, or in a PostgreSQL database shared by
/// processes on several machines (`budgets.ledger` in kam.yaml, or `KAM_LEDGER_URL`).
public enum LedgerLocation: Sendable, Equatable {
    /// The store's own file: one transaction can hold a ledger change and a store change.
    case store
    /// A PostgreSQL database, by its URL (`PostgresStoreConfiguration(url:)` reads it; it may hold a password).
    case postgres(url: String)

    /// The environment variable that names the ledger's database, over `budgets.ledger`.
    public static let environmentVariable = "KAM_LEDGER_URL"

    /// The location `configuration` and `environment` name: `KAM_LEDGER_URL` when set and not empty, else
    /// `budgets.ledger`, else the store.
    public init(configuration: KAMConfiguration, environment: [String: String]) {
        if let url = environment[Self.environmentVariable], !url.isEmpty {
            self = .postgres(url: url)
        } else if let url = configuration.ledgerURL {
            self = .postgres(url: url)
        } else {
            self = .store
        }
    }

    /// Whether `text` names a PostgreSQL database (the full form is checked on opening it).
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }
}
