import ArgumentParser
import Foundation
import KAMCore
import KAMProviders
import KAMStore

extension ProviderFactory {
    /// The configured chain for `route`, reporting attempts to `observer`.
    func resilientChain(
        _ route: ModelRoute, _ configuration: KAMConfiguration, _ recordDirectory: URL?, _ observer: AttemptObserver
    ) -> Chain {
        resilientProvider(
            route: route, retry: configuration.retry, rateLimits: configuration.rateLimits, observer: observer,
            recordInto: recordDirectory)
    }
}

/// Everything a model-calling command needs, built once from the flags: the store, the configuration,
/// the budget and usage ledgers, the prompt registry, the tokenizer and the providers.
///
/// This is the composition root of `kam`: the core gets protocols, this file picks the real things.
struct AgentRuntime {
    var global: GlobalOptions
    var config: ConfigOptions
    var store: ClientStore
    var ledgers: LedgerOpening.Ledgers
    var registry: PromptRegistry
    var tokenizer: Tokenizer
    var recordDirectory: URL?

    var configuration: KAMConfiguration { ledgers.configuration }

    /// Opens the store and ledgers (applying configured budgets) and the prompt folder.
    static func open(
        _ global: GlobalOptions, _ config: ConfigOptions, prompts: String? = nil, record: String? = nil
    ) async throws -> AgentRuntime {
        let ledgers = try await LedgerOpening.openApplyingBudgets(global, config: config.config)
        let store = try StoreOpening.open(global)
        let registry = PromptRegistry(
            directory: PromptRegistry.resolveDirectory(explicit: prompts),
            ledger: SQLitePromptVersionLedger(writer: store.writer))
        let tokenizer: Tokenizer
        do {
            tokenizer = try Tokenizer(encoding: .o200kBase)
        } catch {
            StoreOpening.printError("kam: \(error)")
            throw ExitCode.failure
        }
        return AgentRuntime(
            global: global, config: config, store: store, ledgers: ledgers, registry: registry, tokenizer: tokenizer,
            recordDirectory: record.map { URL(fileURLWithPath: $0) })
    }

    /// The prompt version a reference names (`id`, `id@3`, `id:candidate`), its hash recorded on first use.
    func template(_ reference: String) throws -> PromptTemplate {
        try PromptsCommand.run { () throws(PromptError) in
            try registry.use(try PromptReference(parsing: reference))
        }
    }

    /// The runner and route for a prompt, with this command's --provider/--model/--base-url applied.
    ///
    /// A remote provider without its key is left out of the chain with a warning on stderr; when
    /// nothing else is left the offline generator answers, labelled as offline.
    func runner(forPrompt promptID: String) throws -> (runner: PromptRunner, route: ModelRoute) {
        let route = try config.route(forPrompt: promptID, in: configuration)
        let factory = ProviderFactory(environment: ProcessInfo.processInfo.environment)
        let configuration = self.configuration
        let recordDirectory = self.recordDirectory
        // One chain per command, so its rate limiter is shared by every call the command makes;
        // each call gets a copy that reports its attempts to that call's meter.
        let chain = factory.resilientChain(route, configuration, recordDirectory, .none)
        for skipped in chain.skipped { StoreOpening.printError("kam: warning: \(skipped.message)") }
        let meter = CallMeter(ledger: ledgers.ledger, log: ledgers.log, now: { Date() })
        let runner = PromptRunner(meter: meter, route: route, chain: chain.provider, counter: tokenizer)
        return (runner, route)
    }

    /// Drafts written with this command's runners (provider overrides, recording) and prompt folder.
    var drafts: DraftWorkflow {
        DraftWorkflow(store: store, registry: registry, tokenizer: tokenizer) { [self] in try runner(forPrompt: $0) }
    }

    /// Options for a call on `route`: its model, and the model's output limit when the configuration sets one.
    func options(for route: ModelRoute, onDelta: (@Sendable (String) -> Void)? = nil) -> PromptRunner.Options {
        PromptRunner.Options(
            model: route.primary.modelID, maxOutputTokens: route.primary.maxOutputTokens, onDelta: onDelta)
    }

    /// Who the call is for: the acting user and their team, and the client.
    func attribution(clientID: String?) throws -> CallAttribution {
        let userID = global.userID
        let team = try userID.flatMap { id in try store.user(id: id)?.team }
        return CallAttribution(userID: userID, teamID: team, clientID: clientID)
    }

    /// The client's context fitted to `budget` tokens (the prompt's context budget when nil).
    func context(for client: Client, budget: Int?, now: Date = Date()) throws -> AssembledContext {
        let assembler = ContextAssembler(tokenCounter: tokenizer, options: ContextAssemblyOptions(tokenBudget: budget))
        let result: ContextAssemblyResult
        do {
            result = try assembler.assemble(clientID: client.id, from: store, now: now)
        } catch {
            throw StoreOpening.fail(error.underlying ?? error)
        }
        do {
            return try result.get()
        } catch {
            StoreOpening.printError("kam: \(error.message)")
            throw ExitCode.failure
        }
    }

    /// Prints a failed model run for a person and returns the exit code: 8 budget refused,
    /// 9 provider failed, 10 the output never matched its schema.
    static func fail(_ error: any Error) -> ExitCode {
        switch error {
        case let error as BudgetError:
            return LedgerOpening.fail(error)
        case let error as PromptRunError:
            StoreOpening.printError("kam: \(error)")
            StoreOpening.printError("  last output: \(error.lastOutput.prefix(300))")
            return ExitCode(10)
        case let error as ProviderError:
            StoreOpening.printError("kam: \(error)")
            return ExitCode(9)
        case let error as PromptError:
            return PromptsCommand.fail(error)
        case let error as DraftRefusal:
            StoreOpening.printError("kam: \(error.message)")
            return ExitCode(11)
        case let error as ContextAssemblyError:
            StoreOpening.printError("kam: \(error.message)")
            return ExitCode.failure
        case let exit as ExitCode:
            return exit
        default:
            StoreOpening.printError("kam: \(error)")
            return ExitCode.failure
        }
    }
}
