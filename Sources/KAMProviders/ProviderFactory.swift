import Foundation
import KAMCore

/// Builds providers from the configuration (`kam.yaml`): backends, keys from environment variables,
/// the fallback chain, retries and rate limits, wrapped in a `ResilientProvider`.
///
/// Keys are read here, from the variable the configuration names, and go only into request headers.
/// A remote backend without its key is left out of the chain (the reason is kept in `skipped`); when
/// nothing is left, the chain is `offline` — so KAM works with no key at all, and says so.
public struct ProviderFactory: Sendable {
    public var environment: [String: String]
    public var transport: any HTTPTransport

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        transport: any HTTPTransport = AsyncHTTPClientTransport.shared
    ) {
        self.environment = environment
        self.transport = transport
    }

    /// One backend.
    /// - Throws: `ProviderError` `.configuration` when its key, base URL or recordings directory is missing.
    public func provider(for configuration: ProviderConfiguration, recordInto: URL? = nil) throws -> any ModelProvider {
        let timeout = Duration.milliseconds(Int64(configuration.timeoutSeconds * 1000))
        let base: any ModelProvider
        switch configuration.kind {
        case .openai:
            base = OpenAIProvider(
                apiKey: try key(configuration), baseURL: configuration.baseURL ?? "https://api.openai.com/v1",
                transport: transport, timeout: timeout)
        case .anthropic:
            base = AnthropicProvider(
                apiKey: try key(configuration), baseURL: configuration.baseURL ?? "https://api.anthropic.com",
                transport: transport, timeout: timeout)
        case .openaiCompatible:
            guard let baseURL = configuration.baseURL, !baseURL.isEmpty else {
                throw ProviderError(
                    code: .configuration,
                    message: "provider '\(configuration.name)' (openai-compatible) has no base URL; set `base_url` in kam.yaml or pass --base-url",
                    provider: configuration.name)
            }
            base = OpenAICompatibleProvider(
                baseURL: baseURL, apiKey: configuration.apiKey(in: environment), transport: transport, timeout: timeout,
                schemaMode: configuration.supportsJSONSchema ? .jsonSchema : .inPrompt, schemaBounds: configuration.schemaBounds,
                streamTimeout: configuration.timeoutIsExplicit ? nil : Self.streamBackstop)
        case .offline:
            return OfflineProvider()
        case .replay:
            guard let directory = configuration.recordingsDirectory else {
                throw ProviderError(
                    code: .configuration,
                    message: "provider '\(configuration.name)' (replay) has no recordings directory; set `recordings` in kam.yaml",
                    provider: configuration.name)
            }
            return ReplayProvider(directory: URL(fileURLWithPath: directory))
        }
        if let recordInto { return RecordingProvider(recording: base, into: recordInto) }
        return base
    }

    /// The transport's limit on a streamed openai-compatible answer when `timeout_seconds` is not set: only a backstop,
    /// since the stream's deadlines (first token, idle, a cap scaled with the output asked for) end it first. Without
    /// it the transport cut every streamed answer at the 60 s default, whatever its length.
    public static let streamBackstop = Duration.seconds(3600)

    /// What `resilientProvider` built, and which steps of the chain it had to leave out and why.
    public struct Chain: Sendable {
        public var provider: ResilientProvider
        public var skipped: [ProviderError]
        /// True when only the offline generator is left.
        public var isOfflineOnly: Bool
    }

    /// The whole chain for a model route: primary, then fallbacks, each retried per `retry`.
    public func resilientProvider(
        route: ModelRoute, retry: RetryConfiguration = RetryConfiguration(), rateLimits: [RateLimitConfiguration] = [],
        clock: any Clock<Duration> = ContinuousClock(), observer: AttemptObserver = .none, recordInto: URL? = nil
    ) -> Chain {
        var routes: [ProviderRoute] = []
        var skipped: [ProviderError] = []
        for (index, step) in route.chain.enumerated() {
            do {
                let provider = try provider(for: step.provider, recordInto: recordInto)
                // The primary's options come with the request (the prompt's over the model's); a fallback sends its own.
                routes.append(
                    ProviderRoute(
                        provider: provider, model: step.modelID,
                        attemptTimeout: .milliseconds(Int64(step.provider.timeoutSeconds * 1000)),
                        streamDeadlines: step.provider.streamDeadlines, options: index == 0 ? nil : step.options))
            } catch let error as ProviderError {
                skipped.append(error)
            } catch {
                skipped.append(ProviderError(code: .configuration, message: "\(error)", provider: step.provider.name))
            }
        }
        let offlineOnly = routes.allSatisfy { $0.provider is OfflineProvider }
        if routes.isEmpty { routes = [ProviderRoute(provider: OfflineProvider(), model: OfflineProvider.modelName)] }
        let policy = RetryPolicy(
            maxAttempts: retry.maxAttempts, baseDelay: retry.initialBackoff, maxDelay: retry.maxBackoff,
            totalDeadline: retry.deadline)
        let provider = ResilientProvider(
            routes: routes, policy: policy, clock: clock, rateLimiter: Self.rateLimiter(rateLimits, clock: clock),
            observer: observer)
        return Chain(provider: provider, skipped: skipped, isOfflineOnly: offlineOnly)
    }

    /// A limiter with the configured per-provider/model limits (per-user limits belong to the server).
    public static func rateLimiter(_ limits: [RateLimitConfiguration], clock: any Clock<Duration>) -> RateLimiter? {
        var keyed: [String: RateLimit] = [:]
        for limit in limits {
            guard case .provider(let provider, let model) = limit.target else { continue }
            keyed[RateLimiter.key(provider: provider, model: model ?? "*")] = RateLimit(
                requestsPerMinute: limit.requestsPerMinute, tokensPerMinute: limit.tokensPerMinute)
        }
        return keyed.isEmpty ? nil : RateLimiter(limits: keyed, clock: clock)
    }

    private func key(_ configuration: ProviderConfiguration) throws -> String {
        guard let key = configuration.apiKey(in: environment) else {
            let variable = configuration.apiKeyVariable ?? "the API key variable"
            throw ProviderError(
                code: .configuration,
                message: "provider '\(configuration.name)' needs a key: set the environment variable \(variable) "
                    + "(or name another one with `api_key_env` in kam.yaml); using the rest of the fallback chain",
                provider: configuration.name)
        }
        return key
    }
}
