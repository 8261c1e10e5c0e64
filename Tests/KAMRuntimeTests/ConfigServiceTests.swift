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
}
