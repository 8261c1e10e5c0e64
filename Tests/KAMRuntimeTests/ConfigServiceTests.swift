import Foundation
import KAMCore
import KAMRuntime
import Testing

@Suite struct ConfigServiceTests {
    @Test func aBrokenFileIsRefusedAtItsLineAndAValidOneReportsWhichKeysAreSet() async throws {
        let folder = try RuntimeTestFolder()
        defer { folder.remove() }
        let runtime = try await folder.runtime(environment: ["LOCAL_KEY": "secret"])
        let broken = try folder.write("kam.yaml", "version: 1\nproviders:\n  openai:\n    kind: opnai\n")
        #expect {
            try runtime.config.check(file: broken)
        } throws: { error in
            (error as? ConfigurationError)?.issues.contains { $0.line == 4 && $0.field == "providers.openai.kind" } == true
        }
        #expect(throws: ConfigurationError.self) { try runtime.config.check(file: folder.url.appendingPathComponent("absent.yaml").path) }

        let valid = try folder.write(
            "valid.yaml",
            """
            version: 1
            providers:
              local:
                kind: openai-compatible
                base_url: http://127.0.0.1:8080/v1
                api_key_env: LOCAL_KEY
              other:
                kind: openai-compatible
                base_url: http://127.0.0.1:9090/v1
                api_key_env: OTHER_KEY

            """)
        let checked = try runtime.config.check(file: valid)
        #expect(checked.configuration.sourcePath == valid)
        #expect(checked.keysSet["local"] == true)
        #expect(checked.keysSet["other"] == false)
        #expect(checked.keysSet["openai"] == false)  // built in, its variable unset here
        #expect(!checked.prices.models.isEmpty)
    }

    @Test func theLedgerIsNamedWithoutItsPasswordAndABadURLIsRefusedWithoutConnecting() async throws {
        let folder = try RuntimeTestFolder()
        defer { folder.remove() }
        let plain = try folder.write("plain.yaml", "version: 1\n")
        #expect(try await folder.runtime().config.check(file: plain).ledger == "the store's file")
        // Nothing listens on port 1: the check reads the URL, it does not connect.
        let shared = try folder.write("shared.yaml", "budgets:\n  ledger: postgres://kam:s3cret@127.0.0.1:1/kam?schema=team\n")
        let checked = try await folder.runtime().config.check(file: shared)
        #expect(checked.ledger == "PostgreSQL postgres://kam:***@127.0.0.1:1/kam?schema=team (from budgets.ledger)")
        let broken = try folder.write("broken.yaml", "budgets:\n  ledger: postgres://kam:s3cret@/kam\n")
        await #expect {
            try await folder.runtime().config.check(file: broken)
        } throws: { error in
            "\(error)".contains("no host") && !"\(error)".contains("s3cret")
        }
    }

    @Test func theDatabaseIsNamedWithWhatChoseIt() async throws {
        let folder = try RuntimeTestFolder()
        defer { folder.remove() }
        let plain = try folder.write("plain.yaml", "version: 1\n")
        let runtime = try await folder.runtime()
        #expect(try runtime.config.check(file: plain, environment: [:]).database == "SQLite \(runtime.options.databasePath)")
        // Nothing listens on port 1: the check reads the URL, it does not connect.
        let shared = try folder.write("shared.yaml", "database: postgres://kam:s3cret@127.0.0.1:1/kam?schema=team\n")
        #expect(
            try runtime.config.check(file: shared, environment: [:]).database
                == "PostgreSQL postgres://kam:***@127.0.0.1:1/kam?schema=team (from database:)")
        let environment = [RuntimeDatabase.environmentVariable: "postgres://ops@127.0.0.1:1/kam"]
        #expect(
            try runtime.config.check(file: shared, environment: environment).database
                == "PostgreSQL postgres://ops@127.0.0.1:1/kam (from $KAM_DATABASE_URL)")
        // --db names a SQLite file over both.
        #expect(
            try runtime.config.check(file: shared, database: .sqlite(path: "team.sqlite"), environment: environment)
                .database == "SQLite team.sqlite")
        let broken = try folder.write("broken.yaml", "database: kam.sqlite\n")
        #expect(throws: ConfigurationError.self) { try runtime.config.check(file: broken, environment: [:]) }
    }
}
