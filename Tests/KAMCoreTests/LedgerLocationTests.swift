import Testing

@testable import KAMCore

/// `budgets.ledger` in kam.yaml and `KAM_LEDGER_URL`: where the budget and usage ledgers are kept.
@Suite("Ledger location")
struct LedgerLocationTests {
    @Test("the store's file by default; budgets.ledger names a database; KAM_LEDGER_URL wins over it")
    func location() throws {
        #expect(LedgerLocation(configuration: KAMConfiguration(), environment: [:]) == .store)
        let file = try KAMConfiguration.parse("budgets:\n  ledger: postgres://kam@db:5432/kam\n", file: "kam.yaml")
        #expect(file.ledgerURL == "postgres://kam@db:5432/kam")
        #expect(LedgerLocation(configuration: file, environment: [:]) == .postgres(url: "postgres://kam@db:5432/kam"))
        #expect(
            LedgerLocation(configuration: file, environment: ["KAM_LEDGER_URL": "postgresql://other@x/kam"])
                == .postgres(url: "postgresql://other@x/kam"))
        // An empty variable is no setting.
        #expect(LedgerLocation(configuration: file, environment: ["KAM_LEDGER_URL": ""]) == .postgres(url: "postgres://kam@db:5432/kam"))
        #expect(
            LedgerLocation(configuration: KAMConfiguration(), environment: ["KAM_LEDGER_URL": "postgres://a@b/c"])
                == .postgres(url: "postgres://a@b/c"))
    }

    @Test("a ledger that is not a PostgreSQL URL is refused at its line and field")
    func refusesOtherURLs() throws {
        for text in ["sqlite:///tmp/x.sqlite", "mysql://kam@db/kam", "kam.sqlite", "12"] {
            let error = try #require(throws: ConfigurationError.self) {
                try KAMConfiguration.parse("budgets:\n  ledger: \(text)\n", file: "kam.yaml")
            }
            #expect(
                error.issues.contains {
                    $0.description.hasPrefix("kam.yaml:2:11: budgets.ledger:") && $0.description.contains("PostgreSQL URL")
                }, "\(error.issues)")
        }
    }
}
