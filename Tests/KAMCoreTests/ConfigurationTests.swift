import Foundation
import Testing

@testable import KAMCore
import KAMResources

@Suite("Configuration")
struct ConfigurationTests {
    static let full = """
        version: 1
        providers:
          openai:
            kind: openai
            api_key_env: OPENAI_API_KEY
            timeout_seconds: 30
          local:
            kind: openai-compatible
            base_url: http://127.0.0.1:8080/v1
            json_schema: false
        models:
          fast:
            provider: openai
            id: gpt-4o-mini
            max_output_tokens: 800
          smol:
            provider: local
            id: smollm2-135m
        default_model: fast
        prompt_models:
          check-in: smol
        fallback: [anthropic/claude-haiku-4-5, offline]
        rate_limits:
          - provider: openai
            requests_per_minute: 500
            tokens_per_minute: 200000
          - provider: openai
            model: gpt-4o-mini
            tokens_per_minute: 100000
          - per_user: true
            requests_per_minute: 60
        budgets:
          time_zone: Europe/Berlin
          limits:
            - scope: global
              period: month
              amount: 100.00
            - scope: client:acme
              period: day
              amount: 2.5
        prices:
          overrides: prices.yaml
        retry:
          max_attempts: 3
          initial_backoff_ms: 250
          deadline_seconds: 90
        """

    @Test("a full file parses into every section")
    func parsesFull() throws {
        let configuration = try KAMConfiguration.parse(Self.full, file: "/etc/kam/kam.yaml")
        #expect(configuration.providers["local"]?.kind == .openaiCompatible)
        #expect(configuration.providers["local"]?.supportsJSONSchema == false)
        #expect(configuration.providers["openai"]?.baseURL == "https://api.openai.com/v1")
        #expect(configuration.providers["openai"]?.timeoutSeconds == 30)
        #expect(configuration.models["fast"]?.id == "gpt-4o-mini")
        #expect(configuration.defaultModel == "fast")
        #expect(configuration.fallback == ["anthropic/claude-haiku-4-5", "offline"])
        #expect(configuration.rateLimits.count == 3)
        #expect(configuration.rateLimits(provider: "openai", model: "gpt-4o-mini").count == 2)
        #expect(configuration.rateLimits(provider: "openai", model: "gpt-4o").count == 1)
        #expect(configuration.rateLimits.last?.target == .perUser)
        #expect(configuration.budgets.map(\.id) == ["global/month", "client:acme/day"])
        #expect(configuration.budgets.last?.amount == Money(dollars: "2.50"))
        #expect(configuration.budgetTimeZone.identifier == "Europe/Berlin")
        #expect(configuration.resolvedPriceOverridePaths() == ["/etc/kam/prices.yaml"])
        #expect(configuration.retry.maxAttempts == 3)
        #expect(configuration.retry.initialBackoff == .milliseconds(250))
        #expect(configuration.retry.deadline == .seconds(90))
    }

    @Test("no file means the embedded defaults: offline")
    func embeddedDefaults() throws {
        let configuration = try KAMConfiguration.load(
            explicit: nil, environment: ["KAM_CONFIG": ""])
        // ./kam.yaml does not exist in the test's working directory, or if it does it must still parse.
        let route = try configuration.route()
        if configuration.sourcePath == nil {
            #expect(route.primary.provider.kind == .offline)
            #expect(route.primary.modelID == "offline")
        }
        #expect(KAMConfiguration.locate(explicit: nil, environment: ["KAM_CONFIG": "/x.yaml"]) == ("/x.yaml", true))
        #expect(KAMConfiguration.locate(explicit: "a.yaml", environment: ["KAM_CONFIG": "/x.yaml"]) == ("a.yaml", true))
        #expect(KAMConfiguration.locate(explicit: nil, environment: [:]) == ("kam.yaml", false))
        #expect(throws: ConfigurationError.self) {
            try KAMConfiguration.load(explicit: "/nonexistent/kam.yaml", environment: [:])
        }
    }

    @Test("errors carry file:line:column, the field path and what was expected — all of them")
    func errorsWithPositions() throws {
        let text = """
            providers:
              openai:
                kind: opnai
                api_key: sk-live-123
              local:
                kind: openai-compatible
            models:
              fast:
                provider: nowhere
            default_model: fats
            budgets:
              limits:
                - scope: client
                  period: week
                  amount: lots
            retyr: {}
            """
        let error = try #require(throws: ConfigurationError.self) { try KAMConfiguration.parse(text, file: "kam.yaml") }
        let lines = error.issues.map(\.description)
        #expect(error.code == .invalid)
        #expect(lines.contains { $0.hasPrefix("kam.yaml:3:11: providers.openai.kind: 'opnai' is not valid; did you mean 'openai'?") })
        #expect(lines.contains { $0.hasPrefix("kam.yaml:4:") && $0.contains("providers.openai.api_key") && $0.contains("api_key_env") })
        #expect(lines.contains { $0.hasPrefix("kam.yaml:6:5: providers.local:") && $0.contains("needs base_url") })
        #expect(lines.contains { $0.hasPrefix("kam.yaml:9:15: models.fast.provider: unknown provider 'nowhere'") })
        #expect(lines.contains { $0.hasPrefix("kam.yaml:10:16: default_model: unknown model 'fats'") })
        #expect(lines.contains { $0.hasPrefix("kam.yaml:13:14: budgets.limits[0].scope:") })
        #expect(lines.contains { $0.hasPrefix("kam.yaml:14:15: budgets.limits[0].period: 'week' is not valid") })
        #expect(lines.contains { $0.hasPrefix("kam.yaml:15:15: budgets.limits[0].amount:") })
        #expect(lines.contains { $0.hasPrefix("kam.yaml:16:1: retyr: unknown field; did you mean 'retry'?") })
        // The key itself never appears in any message.
        #expect(!error.description.contains("sk-live-123"))
    }

    @Test("jobs: a zone for every schedule, a job's own cron and zone; bad ones refused with line and field")
    func jobSchedules() throws {
        let text = """
            jobs:
              time_zone: Europe/Berlin
              schedules:
                health-recompute: {cron: "15 5 * * *"}
                retention-cleanup: {cron: "0 3 * * *", time_zone: America/New_York}
            """
        let jobs = try KAMConfiguration.parse(text, file: "kam.yaml").jobs
        #expect(jobs.timeZone.identifier == "Europe/Berlin")
        #expect(jobs.schedule(for: .healthRecompute).description == "15 5 * * * (Europe/Berlin)")
        #expect(jobs.schedule(for: .retentionCleanup).description == "0 3 * * * (America/New_York)")
        #expect(jobs.schedule(for: .selfCheck).description == "*/15 * * * * (Europe/Berlin)")
        #expect(KAMConfiguration.embeddedDefaults.jobs.schedule(for: .inactivityCheck) == JobKind.inactivityCheck.schedule)
        #expect(JobKind.inactivityCheck.schedule.timeZone == TimeZone(identifier: "UTC"))

        let bad = """
            jobs:
              time_zone: Mars/Olympus
              schedules:
                health-recompute: {cron: "15 25 * * *"}
                retention-cleanup: {cron: "0 3 * *", time_zone: Nowhere}
                health-recompte: {cron: "0 1 * * *"}
                self-check: {every: 5}
                daily-review: {cron: "30 7 * * *", time_zone: UTC}
            """
        let error = try #require(throws: ConfigurationError.self) { try KAMConfiguration.parse(bad, file: "kam.yaml") }
        let lines = error.issues.map(\.description)
        #expect(lines.contains { $0.hasPrefix("kam.yaml:2:14: jobs.time_zone: unknown time zone 'Mars/Olympus'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("kam.yaml:4:30: jobs.schedules.health-recompute.cron: the hour field '25'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("kam.yaml:5:31: jobs.schedules.retention-cleanup.cron: needs 5 fields") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("kam.yaml:5:53: jobs.schedules.retention-cleanup.time_zone: unknown time zone 'Nowhere'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("kam.yaml:6:5: jobs.schedules.health-recompte: unknown field; did you mean 'health-recompute'?") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("kam.yaml:7:18: jobs.schedules.self-check.every: unknown field") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("kam.yaml:8:51: jobs.schedules.daily-review.time_zone: the daily-review job runs in each user's own time zone") }, "\(lines)")
        // The daily review's cron is the configured one, read in each user's zone.
        let review = try KAMConfiguration.parse("jobs: {schedules: {daily-review: {cron: '30 7 * * 1-5'}}}", file: "kam.yaml").jobs
        #expect(review.schedule(for: .dailyReview, in: TimeZone(identifier: "Asia/Tokyo")).description == "30 7 * * 1-5 (Asia/Tokyo)")
    }

    @Test("a YAML syntax error has its position")
    func syntaxError() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try KAMConfiguration.parse("providers:\n  openai: [unclosed\n", file: "bad.yaml")
        }
        #expect(error.code == .syntax)
        #expect(error.issues.first?.line != nil)
        #expect(error.description.hasPrefix("bad.yaml:"))
    }

    @Test("a key pasted where the variable name goes is refused")
    func keyInsteadOfVariable() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try KAMConfiguration.parse("providers:\n  openai:\n    api_key_env: sk-abc123\n", file: "kam.yaml")
        }
        #expect(error.issues.first?.field == "providers.openai.api_key_env")
        #expect(!error.description.contains("sk-abc123"))
    }

    @Test("command-line overrides win over prompt and default models")
    func overrides() throws {
        let configuration = try KAMConfiguration.parse(Self.full, file: "kam.yaml")
        let plain = try configuration.route()
        #expect(plain.primary.provider.name == "openai")
        #expect(plain.primary.modelID == "gpt-4o-mini")
        #expect(plain.primary.maxOutputTokens == 800)
        #expect(plain.fallbacks.map(\.modelID) == ["claude-haiku-4-5", "offline"])
        #expect(plain.fallbacks.first?.provider.kind == .anthropic)

        let prompt = try configuration.route(forPrompt: "check-in")
        #expect(prompt.primary.provider.name == "local")
        #expect(prompt.primary.modelID == "smollm2-135m")

        // An undeclared model id goes to the provider of the model it replaces.
        let model = try configuration.route(overrides: ModelOverrides(model: "gpt-4o"))
        #expect(model.primary.modelID == "gpt-4o")
        #expect(model.primary.provider.name == "openai")
        let promptModel = try configuration.route(forPrompt: "check-in", overrides: ModelOverrides(model: "smollm2-360m"))
        #expect(promptModel.primary.provider.name == "local")
        #expect(promptModel.primary.modelID == "smollm2-360m")

        let local = try configuration.route(
            overrides: ModelOverrides(provider: "openai-compatible", model: "qwen", baseURL: "http://127.0.0.1:9000/v1"))
        #expect(local.primary.provider.kind == .openaiCompatible)
        #expect(local.primary.provider.baseURL == "http://127.0.0.1:9000/v1")
        #expect(local.primary.modelID == "qwen")

        let rebased = try configuration.route(forPrompt: "check-in", overrides: ModelOverrides(baseURL: "http://127.0.0.1:1/v1"))
        #expect(rebased.primary.provider.name == "local")
        #expect(rebased.primary.provider.baseURL == "http://127.0.0.1:1/v1")

        let offline = try configuration.route(overrides: ModelOverrides(provider: "offline"))
        #expect(offline.primary.provider.kind == .offline)

        let badURL = try #require(throws: ConfigurationError.self) {
            try configuration.route(overrides: ModelOverrides(baseURL: "http://127.0.0.1:1/v1"))
        }
        #expect(badURL.issues.first?.field == "--base-url")
        let badProvider = try #require(throws: ConfigurationError.self) {
            try configuration.route(overrides: ModelOverrides(provider: "openia"))
        }
        #expect(badProvider.code == .override)
        let embedded = KAMConfiguration.embeddedDefaults
        #expect(try embedded.route(overrides: ModelOverrides(model: "x")).primary.provider.kind == .offline)
        #expect(throws: ConfigurationError.self) {
            try KAMConfiguration(defaultModel: "missing").route()
        }
    }

    @Test("the key is read from the named environment variable only")
    func apiKey() throws {
        let provider = ProviderConfiguration(name: "openai", kind: .openai)
        #expect(provider.apiKeyVariable == "OPENAI_API_KEY")
        #expect(provider.apiKey(in: ["OPENAI_API_KEY": "sk-test"]) == "sk-test")
        #expect(provider.apiKey(in: ["OPENAI_API_KEY": ""]) == nil)
        #expect(ProviderConfiguration(name: "x", kind: .offline).apiKey(in: ["OPENAI_API_KEY": "k"]) == nil)
    }

    @Test("the example in docs/configuration.md is valid")
    func documentedExample() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/configuration.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let blocks = text.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count == 4)
        let configuration = try KAMConfiguration.parse(blocks[0], file: "docs/configuration.md")
        #expect(configuration.budgets.count == 4)
        #expect(configuration.providers["recorded"]?.kind == .replay)
        #expect(configuration.support.addresses == ["support@ourco.example", "help@ourco.example"])
        #expect(configuration.exports.weeklyFolder == "exports" && configuration.exports.format == .openAIChat)
        #expect(configuration.analytics.writingWordsPerMinute == 40)
        #expect(try configuration.route(forPrompt: "deal-update").primary.modelID == "claude-sonnet-4-5")
        let prices = try PriceTable.bundled().merging(overrides: blocks[1], file: "docs/configuration.md")
        #expect(prices.price(for: "smollm2-135m-instruct")?.contextWindow == 8192)
        #expect(configuration.rules.suggestions.silentDays == 5)
        #expect(configuration.jobs.schedule(for: .retentionCleanup) == (try CronSchedule("0 3 * * *")))
        #expect(configuration.jobs.schedule(for: .healthRecompute).description == "30 4 * * * (Europe/Berlin)")
        // The rules section lists every field with its default: exactly what no section means.
        #expect(try KAMConfiguration.parse(blocks[3], file: "docs/configuration.md").rules == RuleThresholds())
        // The shared ledger's example names a PostgreSQL database.
        #expect(
            try KAMConfiguration.parse(blocks[2], file: "docs/configuration.md").ledgerURL
                == "postgres://kam@db.internal:5432/kam?pool_size=10&statement_timeout=10")
    }
}
