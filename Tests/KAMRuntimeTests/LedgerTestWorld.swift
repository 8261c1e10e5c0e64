import Foundation
import KAMCore
import KAMResources
import KAMRuntime
import KAMStore

/// The demo accounts in one in-memory store, and runtimes over it, each at its own fixed time and with
/// its own model route but one id counter: the world of the usage, budget and experiment service tests.
struct LedgerTestWorld: Sendable {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    let store: ClientStore
    let ids = IDMaker.sequential()

    init() throws {
        store = try ClientStore.inMemory(now: { Self.start })
        try DemoSeeder.seedDemo(into: store, now: Self.start)
    }

    /// A runtime at `now`: the offline provider unless `overrides` route elsewhere (`openai` has a price
    /// and, with no key in the empty environment, never gets a call out: only the budgets can answer).
    func runtime(
        at now: Date = start, configuration: KAMConfiguration = .embeddedDefaults,
        overrides: ModelOverrides = ModelOverrides(), prompts: URL? = nil
    ) async throws -> Runtime {
        let prompts = prompts ?? PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()
        return try await Runtime.open(
            RuntimeOptions(
                configuration: configuration, promptsDirectory: prompts.path, overrides: overrides, environment: [:],
                now: { now }, ids: ids),
            store: store)
    }

    /// A runtime whose every call goes to OpenAI's gpt-4o-mini, a priced model.
    func pricedRuntime() async throws -> Runtime {
        try await runtime(overrides: ModelOverrides(provider: "openai", model: "gpt-4o-mini"))
    }
}
