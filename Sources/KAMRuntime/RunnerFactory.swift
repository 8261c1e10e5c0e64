import Foundation
import KAMCore
import KAMProviders
import Logging
import Synchronization

/// The one place a prompt runner is built: route (configuration and overrides) → provider chain →
/// meter over the budget and usage ledgers → `PromptRunner`.
///
/// Chains are kept for the factory's life, one per route, so a provider's rate limit holds across every
/// call a command or the server makes; each call gets its own meter.
public final class RunnerFactory: PromptRunnerMaking {
    public let configuration: KAMConfiguration
    public let overrides: ModelOverrides
    private let providers: ProviderFactory
    private let ledger: BudgetLedger
    private let log: any CallLog
    private let counter: @Sendable () throws -> any TokenCounting
    private let recordDirectory: URL?
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let chains = Mutex<[String: ProviderFactory.Chain]>([:])

    init(
        configuration: KAMConfiguration, overrides: ModelOverrides, providers: ProviderFactory, ledger: BudgetLedger,
        log: any CallLog, counter: @escaping @Sendable () throws -> any TokenCounting, recordDirectory: URL?,
        clock: any Clock<Duration>, now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.configuration = configuration
        self.overrides = overrides
        self.providers = providers
        self.ledger = ledger
        self.log = log
        self.counter = counter
        self.recordDirectory = recordDirectory
        self.clock = clock
        self.now = now
        self.logger = logger
    }

    /// The runner for `promptID` on its configured route, with this invocation's overrides.
    public func runner(forPrompt promptID: String) throws -> RoutedRunner {
        try runner(forPrompt: promptID, overrides: overrides)
    }

    /// Probes each provider a route of the configuration uses (the default model, each prompt's, the fallbacks, and
    /// this invocation's overrides), by name.
    public func probeProviders() async throws -> [ProviderProbe] {
        var used: [String: ProviderConfiguration] = [:]
        for promptID in [nil] + configuration.promptModels.keys.sorted() {
            for model in try configuration.route(forPrompt: promptID, overrides: overrides).chain {
                used[model.provider.name] = model.provider
            }
        }
        var probes: [ProviderProbe] = []
        for (_, provider) in used.sorted(by: { $0.key < $1.key }) { probes.append(await providers.probe(provider)) }
        return probes
    }

    /// Whether `promptID`'s calls go to a model provider rather than the offline writer: the scheduled jobs ask a
    /// model for a brief or notes only then.
    public func hasModelProvider(forPrompt promptID: String) throws -> Bool {
        try configuration.route(forPrompt: promptID, overrides: overrides).primary.provider.kind != .offline
    }

    /// The runner for `promptID` with other overrides (an evaluation variant's provider and model), and
    /// optionally a replay cache answered first whose misses go to the live chain and are recorded into it.
    public func runner(forPrompt promptID: String?, overrides: ModelOverrides, replayCache: URL? = nil) throws
        -> RoutedRunner
    {
        let route = try configuration.route(forPrompt: promptID, overrides: overrides)
        let chain = self.chain(for: route, recordInto: replayCache ?? recordDirectory)
        let meter = CallMeter(ledger: ledger, log: log, now: now)
        let runner = PromptRunner(meter: meter, route: route, chain: chain.provider, counter: try counter()) { live in
            guard let replayCache else { return live }
            return ReplayFirstProvider(cache: ReplayProvider(directory: replayCache), live: live)
        }
        return RoutedRunner(runner: runner, route: route)
    }

    /// An evaluation's LLM judge on the chain for `overrides`, each verdict metered like any other call: reserved
    /// against the budgets that cover `attribution` (a refinement's `run:ID` budget among them) and logged.
    public func judge(overrides: ModelOverrides, attribution: CallAttribution) throws -> EvalJudge {
        let route = try configuration.route(forPrompt: nil, overrides: overrides)
        return EvalJudge(
            provider: chain(for: route, recordInto: nil).provider, model: route.primary.modelID,
            meter: CallMeter(ledger: ledger, log: log, now: now), attribution: attribution)
    }

    /// The chain kept for `route`, built on first use; providers left out are logged once.
    private func chain(for route: ModelRoute, recordInto: URL?) -> ProviderFactory.Chain {
        let key = route.chain.map { "\($0.provider.name)/\($0.modelID)" }.joined(separator: ">")
            + "|" + (recordInto?.path ?? "")
        return chains.withLock { chains in
            if let chain = chains[key] { return chain }
            let chain = providers.resilientProvider(
                route: route, retry: configuration.retry, rateLimits: configuration.rateLimits, clock: clock,
                recordInto: recordInto)
            for skipped in chain.skipped { logger.warning("\(skipped.message)") }
            chains[key] = chain
            return chain
        }
    }
}
