import Foundation
import Yams

/// Parsing `kam.yaml`: where it is, and every field checked with its file:line:column. Reading the file is
/// KAMResources' `KAMConfiguration.load(explicit:environment:)`.
extension KAMConfiguration {
    /// The file to read: `--config`, then `KAM_CONFIG`, then `./kam.yaml` if it exists.
    ///
    /// - Returns: the path, and whether it must exist (an explicit path that is missing is an error;
    ///   a missing `./kam.yaml` means the embedded defaults).
    public static func locate(explicit: String?, environment: [String: String]) -> (path: String, required: Bool) {
        if let explicit, !explicit.isEmpty { return (explicit, true) }
        if let path = environment["KAM_CONFIG"], !path.isEmpty { return (path, true) }
        return ("kam.yaml", false)
    }

    /// Parses configuration text; `file` is used in messages and to resolve relative paths.
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> KAMConfiguration {
        var configuration = KAMConfiguration(sourcePath: file)
        guard let root = try YAMLReader.compose(text, file: file) else { return configuration }
        let reader = YAMLReader(file: file)
        let keys: Set<String> = [
            "version", "database", "providers", "models", "default_model", "prompt_models", "fallback", "rate_limits",
            "budgets", "prices", "retry", "rules",
            // Read by `kam retention` (RetentionSettings); accepted here so one file configures everything.
            "retention", "server", "jobs", "support", "workflows", "notifications", "analytics", "exports",
            "icp",
        ]
        var references: [(name: String, node: Node, path: String)] = []
        for (key, node, path) in reader.mapping(root, "", allowedKeys: keys) ?? [] {
            switch key {
            case "version":
                if let version = reader.int(node, path), version != 1 {
                    reader.issue(node, path, "this KAM reads version 1 files; found \(version)")
                }
            case "database":
                configuration.databaseURL = postgresURL(
                    node, path, reader, "the database",
                    otherwise: "to keep everything in the SQLite file (--db, $KAM_DB, ./kam.sqlite)")
            case "providers":
                for (name, providerNode, providerPath) in reader.mapping(node, path) ?? [] {
                    if let provider = readProvider(name, providerNode, providerPath, reader) {
                        configuration.providers[name] = provider
                    }
                }
            case "models":
                for (name, modelNode, modelPath) in reader.mapping(node, path) ?? [] {
                    if let model = readModel(name, modelNode, modelPath, reader) {
                        configuration.models[name] = model
                    }
                }
            case "default_model":
                if let name = reader.string(node, path) {
                    configuration.defaultModel = name
                    references.append((name, node, path))
                }
            case "prompt_models":
                for (prompt, modelNode, modelPath) in reader.mapping(node, path) ?? [] {
                    if let name = reader.string(modelNode, modelPath) {
                        configuration.promptModels[prompt] = name
                        references.append((name, modelNode, modelPath))
                    }
                }
            case "fallback":
                let items = reader.sequence(node, path) ?? []
                configuration.fallback = items.compactMap { item in
                    let name = reader.string(item.node, item.path)
                    if let name { references.append((name, item.node, item.path)) }
                    return name
                }
            case "rate_limits":
                configuration.rateLimits = (reader.sequence(node, path) ?? []).compactMap {
                    readRateLimit($0.node, $0.path, reader)
                }
            case "budgets":
                readBudgets(node, path, reader, into: &configuration)
            case "prices":
                for (priceKey, priceNode, pricePath) in reader.mapping(node, path, allowedKeys: ["overrides"]) ?? []
                where priceKey == "overrides" {
                    configuration.priceOverrides = reader.strings(priceNode, pricePath) ?? []
                }
            case "retry":
                configuration.retry = readRetry(node, path, reader)
            case "rules":
                configuration.rules = readRules(node, path, reader)
            case "server":
                configuration.server = readServer(node, path, reader)
            case "analytics":
                configuration.analytics = readAnalytics(node, path, reader)
            case "icp":
                configuration.icp = readICP(node, path, reader)
            case "exports":
                configuration.exports = readExports(node, path, reader)
            case "jobs":
                configuration.jobs = readJobs(node, path, reader)
            case "support":
                configuration.support = readSupport(node, path, reader)
            case "workflows":
                configuration.workflows = RuleSet.read(node, path, reader)
            case "notifications":
                configuration.notifications = readNotifications(node, path, reader)
            default:
                break
            }
        }
        // Cross-references, checked once everything is read.
        for (name, model) in configuration.models where configuration.providers[model.provider] == nil {
            let node = nodeAt(root, ["models", name, "provider"])
            reader.issue(
                node, "models.\(name).provider",
                "unknown provider \(ErrorExcerpt.quoted(model.provider)); declare it under providers: or use one of \(configuration.providers.keys.sorted().joined(separator: ", "))"
            )
        }
        for (name, model) in configuration.models {
            guard let provider = configuration.providers[model.provider] else { continue }
            for option in model.options.keys.sorted() where !SamplingOptions.accepts(provider.kind, option) {
                reader.issue(
                    nodeAt(root, ["models", name, "options", option]), "models.\(name).options.\(option)",
                    SamplingOptions.refusals([option: model.options[option]!], origins: [:], provider: provider)[0])
            }
        }
        for reference in references where configuration.resolve(reference.name) == nil {
            if let model = configuration.models[reference.name], configuration.providers[model.provider] == nil {
                continue  // already reported at the model
            }
            reader.issue(
                reference.node, reference.path,
                "unknown model \(ErrorExcerpt.quoted(reference.name)); declare it under models:, write PROVIDER/MODEL, or use one of \(configuration.models.keys.sorted().joined(separator: ", "))"
            )
        }
        for (index, limit) in configuration.rateLimits.enumerated() {
            if case .provider(let provider, _) = limit.target, configuration.providers[provider] == nil {
                reader.issue(
                    nodeAt(root, ["rate_limits", index, "provider"]), "rate_limits[\(index)].provider",
                    "unknown provider \(ErrorExcerpt.quoted(provider))")
            }
        }
        guard reader.issues.isEmpty else { throw ConfigurationError(code: .invalid, issues: reader.issues) }
        return configuration
    }

    private static func readProvider(_ name: String, _ node: Node, _ path: String, _ reader: YAMLReader) -> ProviderConfiguration? {
        let keys: Set<String> = [
            "kind", "base_url", "api_key_env", "api_key", "timeout_seconds", "first_token_seconds", "idle_seconds", "recordings",
            "json_schema", "schema_max_length", "schema_max_items", "grammar_max_length",
        ]
        guard let entries = reader.mapping(node, path, allowedKeys: keys) else { return nil }
        let before = reader.issues.count
        var kind: ProviderConfiguration.Kind? = ProviderConfiguration.Kind(rawValue: name)
        var baseURL: String?
        var keyVariable: String?
        var timeout = 60.0
        var timeoutIsExplicit = false
        var firstToken: Double?
        var idle: Double?
        var bounds = SchemaBounds()
        var recordings: String?
        var jsonSchema = true
        var kindNode: Node?
        for (key, value, fieldPath) in entries {
            switch key {
            case "kind":
                kind = reader.oneOf(value, fieldPath, ProviderConfiguration.Kind.self)
                kindNode = value
            case "base_url":
                if let url = reader.string(value, fieldPath) {
                    if let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
                        parsed.host != nil
                    {
                        baseURL = url
                    } else {
                        reader.issue(value, fieldPath, "expected an http(s) URL like http://127.0.0.1:8080/v1, found \(ErrorExcerpt.quoted(url))")
                    }
                }
            case "api_key_env":
                if let variable = reader.string(value, fieldPath) {
                    if variable.hasPrefix("sk-") || variable.count > 64
                        || !variable.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") })
                    {
                        reader.issue(
                            value, fieldPath,
                            "expected the NAME of an environment variable (like OPENAI_API_KEY: capitals, digits, _), never the key itself")
                    } else {
                        keyVariable = variable
                    }
                }
            case "api_key":
                reader.issue(
                    value, fieldPath,
                    "keys never go in kam.yaml (it would end up in version control and logs); export the key in an environment variable and write api_key_env: ITS_NAME"
                )
            case "timeout_seconds":
                if let seconds = reader.double(value, fieldPath, minimum: 0.001) {
                    timeout = seconds
                    timeoutIsExplicit = true
                }
            case "first_token_seconds":
                firstToken = reader.double(value, fieldPath, minimum: 0.001)
            case "idle_seconds":
                idle = reader.double(value, fieldPath, minimum: 0.001)
            case "schema_max_length":
                if let length = reader.int(value, fieldPath, in: 1...1_000_000) { bounds.maxLength = length }
            case "schema_max_items":
                if let items = reader.int(value, fieldPath, in: 1...100_000) { bounds.maxItems = items }
            case "grammar_max_length":
                if let length = reader.int(value, fieldPath, in: 1...1_000_000) { bounds.ceiling = length }
            case "recordings":
                recordings = reader.string(value, fieldPath)
            case "json_schema":
                if let flag = reader.bool(value, fieldPath) { jsonSchema = flag }
            default:
                break
            }
        }
        guard let kind else {
            if kindNode == nil {
                reader.issue(
                    node, path,
                    "needs a kind: one of \(ProviderConfiguration.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return nil
        }
        if kind == .openaiCompatible && baseURL == nil {
            reader.issue(node, path, "an openai-compatible provider needs base_url (like http://127.0.0.1:8080/v1)")
        }
        if kind == .replay && recordings == nil {
            reader.issue(node, path, "a replay provider needs recordings: the folder of recorded calls")
        }
        guard reader.issues.count == before else { return nil }
        return ProviderConfiguration(
            name: name, kind: kind, baseURL: baseURL, apiKeyVariable: keyVariable, timeoutSeconds: timeout,
            recordingsDirectory: recordings, supportsJSONSchema: jsonSchema, timeoutIsExplicit: timeoutIsExplicit,
            firstTokenSeconds: firstToken, idleSeconds: idle, schemaBounds: bounds)
    }

    private static func readModel(_ name: String, _ node: Node, _ path: String, _ reader: YAMLReader) -> ModelConfiguration? {
        guard let entries = reader.mapping(node, path, allowedKeys: ["provider", "id", "max_output_tokens", "options"]) else {
            return nil
        }
        let before = reader.issues.count
        var provider: String?
        var id: String?
        var maxOutput: Int?
        var options: [String: JSONValue] = [:]
        var origins: [String: String] = [:]
        for (key, value, fieldPath) in entries {
            switch key {
            case "provider": provider = reader.string(value, fieldPath)
            case "id": id = reader.string(value, fieldPath)
            case "max_output_tokens": maxOutput = reader.int(value, fieldPath, minimum: 1)
            case "options":
                for (option, optionNode, optionPath) in reader.mapping(value, fieldPath) ?? [] {
                    guard let spec = SamplingOptions.spec(named: option), spec.name == option else {
                        let hint = YAMLReader.closest(to: option, in: Set(SamplingOptions.catalog.map(\.name)))
                            .map { "did you mean '\($0)'? " } ?? ""
                        reader.issue(optionNode, optionPath, "unknown sampling option; \(hint)known options: \(SamplingOptions.names)")
                        continue
                    }
                    guard let json = readOptionValue(optionNode, optionPath, spec, reader) else { continue }
                    options[option] = json
                    if let mark = optionNode.mark { origins[option] = "\(reader.file):\(mark.line):\(mark.column)" }
                }
            default: break
            }
        }
        guard reader.issues.count == before else { return nil }
        guard let provider else {
            reader.issue(node, path, "needs provider: the name of an entry under providers:")
            return nil
        }
        return ModelConfiguration(
            name: name, provider: provider, id: id, maxOutputTokens: maxOutput, options: options, optionOrigins: origins)
    }

    /// A sampling option's value as JSON, checked against its spec; nil (with an issue) when it does not fit.
    private static func readOptionValue(_ node: Node, _ path: String, _ spec: SamplingOptions.Spec, _ reader: YAMLReader) -> JSONValue? {
        let value: JSONValue
        switch spec.value {
        case .number:
            guard let number = reader.double(node, path, minimum: -.greatestFiniteMagnitude) else { return nil }
            value = .double(number)
        case .integer:
            guard let number = reader.int(node, path, minimum: Int.min) else { return nil }
            value = .int(Int64(number))
        case .strings:
            if case .sequence = node {
                guard let items = reader.strings(node, path) else { return nil }
                value = .array(items.map { .string($0) })
            } else {
                guard let text = reader.string(node, path, nonEmpty: false) else { return nil }
                value = .string(text)
            }
        }
        if let problem = SamplingOptions.problem(with: value, for: spec) {
            reader.issue(node, path, problem)
            return nil
        }
        return value
    }

    private static func readRateLimit(_ node: Node, _ path: String, _ reader: YAMLReader) -> RateLimitConfiguration? {
        let keys: Set<String> = ["provider", "model", "per_user", "route", "requests_per_minute", "tokens_per_minute"]
        guard let entries = reader.mapping(node, path, allowedKeys: keys) else { return nil }
        let before = reader.issues.count
        var provider: String?
        var model: String?
        var perUser = false
        var route: String?
        var requests: Int?
        var tokens: Int?
        for (key, value, fieldPath) in entries {
            switch key {
            case "provider": provider = reader.string(value, fieldPath)
            case "model": model = reader.string(value, fieldPath)
            case "per_user": perUser = reader.bool(value, fieldPath) ?? false
            case "route": route = readRoute(value, fieldPath, reader)
            case "requests_per_minute": requests = reader.int(value, fieldPath, minimum: 1)
            case "tokens_per_minute": tokens = reader.int(value, fieldPath, minimum: 1)
            default: break
            }
        }
        guard reader.issues.count == before else { return nil }
        if requests == nil && tokens == nil {
            reader.issue(node, path, "needs requests_per_minute, tokens_per_minute, or both")
            return nil
        }
        if let route {
            guard provider == nil && model == nil && !perUser else {
                reader.issue(node, path, "a route limit applies to API requests; remove provider/model/per_user")
                return nil
            }
            return RateLimitConfiguration(target: .route(route), requestsPerMinute: requests, tokensPerMinute: tokens)
        }
        if perUser {
            guard provider == nil && model == nil else {
                reader.issue(node, path, "per_user limits apply to API users, not to a provider; remove provider/model")
                return nil
            }
            return RateLimitConfiguration(target: .perUser, requestsPerMinute: requests, tokensPerMinute: tokens)
        }
        guard let provider else {
            reader.issue(node, path, "needs provider: (the limit is per provider, or per model with model:), or per_user: true")
            return nil
        }
        return RateLimitConfiguration(
            target: .provider(provider, model: model), requestsPerMinute: requests, tokensPerMinute: tokens)
    }

    /// A route as `METHOD /path` in the server's syntax (`POST /drafts/:id/approve`).
    private static func readRoute(_ node: Node, _ path: String, _ reader: YAMLReader) -> String? {
        guard let text = reader.string(node, path) else { return nil }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE"]
        guard parts.count == 2, methods.contains(String(parts[0])), parts[1].hasPrefix("/") else {
            reader.issue(node, path, "a route is `METHOD /path` as the server names it, e.g. `POST /drafts/:id/approve`")
            return nil
        }
        return "\(parts[0]) \(parts[1])"
    }

    private static func readAnalytics(_ node: Node, _ path: String, _ reader: YAMLReader) -> AnalyticsConfiguration {
        var analytics = AnalyticsConfiguration()
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: ["writing_words_per_minute", "metrics"]) ?? [] {
            if key == "writing_words_per_minute", let speed = reader.double(value, fieldPath, minimum: 1) {
                analytics.writingWordsPerMinute = speed
            }
            if key == "metrics" { analytics.metrics = readCustomMetrics(value, fieldPath, reader) }
        }
        return analytics
    }

    private static func readServer(_ node: Node, _ path: String, _ reader: YAMLReader) -> ServerConfiguration {
        var server = ServerConfiguration()
        let keys: Set<String> = ["max_body_bytes", "metrics_port", "shutdown_grace_seconds", "session_hours"]
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: keys) ?? [] {
            switch key {
            case "max_body_bytes":
                if let bytes = reader.int(value, fieldPath, minimum: 1) { server.maxBodyBytes = bytes }
            case "metrics_port":
                if let port = reader.int(value, fieldPath, minimum: 1) {
                    if port > 65535 {
                        reader.issue(value, fieldPath, "a port is at most 65535")
                    } else {
                        server.metricsPort = port
                    }
                }
            case "shutdown_grace_seconds":
                if let seconds = reader.double(value, fieldPath, minimum: 0) { server.shutdownGraceSeconds = seconds }
            case "session_hours":
                if let hours = reader.double(value, fieldPath, minimum: 0.01) {
                    if hours > 24 * 30 {
                        reader.issue(value, fieldPath, "a web session lasts at most 720 hours (30 days)")
                    } else {
                        server.sessionHours = hours
                    }
                }
            default:
                break
            }
        }
        return server
    }

    /// A PostgreSQL URL at `node` (`database:`, `budgets.ledger`), or nil with an issue saying what `what` must be and
    /// what leaving it out does.
    private static func postgresURL(_ node: Node, _ path: String, _ reader: YAMLReader, _ what: String, otherwise: String)
        -> String?
    {
        guard let url = reader.string(node, path) else { return nil }
        guard LedgerLocation.isPostgresURL(url) else {
            reader.issue(
                node, path, "\(what) is a PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE); leave it out \(otherwise)")
            return nil
        }
        return url
    }

    private static func readBudgets(_ node: Node, _ path: String, _ reader: YAMLReader, into configuration: inout KAMConfiguration) {
        let keys: Set<String> = ["time_zone", "reservation_lifetime_seconds", "admission_wait_seconds", "ledger", "limits"]
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: keys) ?? [] {
            switch key {
            case "time_zone":
                if let zone = reader.timeZone(value, fieldPath) { configuration.budgetTimeZone = zone }
            case "reservation_lifetime_seconds":
                if let seconds = reader.double(value, fieldPath, minimum: 1) { configuration.reservationLifetimeSeconds = seconds }
            case "admission_wait_seconds":
                if let seconds = reader.double(value, fieldPath, minimum: 0) {
                    if seconds > BudgetAdmission.longestWaitSeconds {
                        reader.issue(
                            value, fieldPath,
                            "a call waits at most \(Int(BudgetAdmission.longestWaitSeconds)) seconds for budget (it holds its request open meanwhile); 0 refuses at once")
                    } else {
                        configuration.admissionWaitSeconds = seconds
                    }
                }
            case "ledger":
                configuration.ledgerURL = postgresURL(
                    value, fieldPath, reader, "the ledger", otherwise: "to keep the ledger in the store's database")
            case "limits":
                var seen: Set<String> = []
                for (item, itemPath) in reader.sequence(value, fieldPath) ?? [] {
                    guard let budget = readBudget(item, itemPath, reader) else { continue }
                    if !seen.insert(budget.id).inserted {
                        reader.issue(item, itemPath, "a second budget for \(budget.scope) per \(budget.period.rawValue); keep one")
                        continue
                    }
                    configuration.budgets.append(budget)
                }
            default:
                break
            }
        }
    }

    private static func readBudget(_ node: Node, _ path: String, _ reader: YAMLReader) -> Budget? {
        guard let entries = reader.mapping(node, path, allowedKeys: ["scope", "period", "amount"]) else { return nil }
        let before = reader.issues.count
        var scope: BudgetScope?
        var period: BudgetPeriod?
        var amount: Money?
        for (key, value, fieldPath) in entries {
            switch key {
            case "scope":
                if let text = reader.string(value, fieldPath) {
                    scope = BudgetScope(parsing: text)
                    if scope == nil {
                        reader.issue(value, fieldPath, "expected global, user:ID, team:ID, client:ID or prompt:ID; found \(ErrorExcerpt.quoted(text))")
                    }
                }
            case "period": period = reader.oneOf(value, fieldPath, BudgetPeriod.self)
            case "amount":
                amount = reader.money(value, fieldPath)
                if let money = amount, money > Money.maximumBudget {
                    reader.issue(value, fieldPath, "at most \(Money.maximumBudget)")
                }
            default: break
            }
        }
        guard reader.issues.count == before else { return nil }
        guard let scope, let period, let amount else {
            reader.issue(node, path, "a budget needs scope, period (day, month, total) and amount (US dollars)")
            return nil
        }
        return Budget(scope: scope, period: period, amount: amount)
    }

    private static func readRetry(_ node: Node, _ path: String, _ reader: YAMLReader) -> RetryConfiguration {
        var retry = RetryConfiguration()
        let keys: Set<String> = ["max_attempts", "initial_backoff_ms", "max_backoff_ms", "deadline_seconds"]
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: keys) ?? [] {
            switch key {
            case "max_attempts": retry.maxAttempts = reader.int(value, fieldPath, minimum: 1) ?? retry.maxAttempts
            case "initial_backoff_ms":
                retry.initialBackoff = reader.int(value, fieldPath).map { .milliseconds($0) } ?? retry.initialBackoff
            case "max_backoff_ms":
                retry.maxBackoff = reader.int(value, fieldPath).map { .milliseconds($0) } ?? retry.maxBackoff
            case "deadline_seconds":
                retry.deadline = reader.double(value, fieldPath, minimum: 0.001).map { .milliseconds(Int($0 * 1000)) } ?? retry.deadline
            default: break
            }
        }
        if retry.initialBackoff > retry.maxBackoff {
            reader.issue(node, path, "initial_backoff_ms must not exceed max_backoff_ms")
        }
        return retry
    }

    /// The node at a path of keys and indexes, for positioning cross-reference errors.
    private static func nodeAt(_ root: Node, _ path: [any Sendable]) -> Node? {
        var node: Node? = root
        for step in path {
            switch (node, step) {
            case (.mapping(let mapping)?, let key as String): node = mapping[key]
            case (.sequence(let sequence)?, let index as Int): node = index < sequence.count ? sequence[index] : nil
            default: return node
            }
        }
        return node
    }
}
