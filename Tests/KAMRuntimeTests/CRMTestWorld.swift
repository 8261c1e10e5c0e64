import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting

/// A runtime over the demo accounts in memory, with a wall clock a test moves and sequential ids: the
/// world every CRM service test starts from.
struct CRMTestWorld: Sendable {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    let runtime: Runtime
    /// The wall clock of the runtime: fixed until a test moves it.
    let clock: ManualWallClock

    /// The demo accounts seeded at `start`, the embedded default configuration with `rules`.
    static func demo(rules: RuleThresholds = RuleThresholds()) async throws -> CRMTestWorld {
        let store = try ClientStore.inMemory(now: { start })
        try DemoSeeder.seedDemo(into: store, now: start)
        let clock = ManualWallClock(start)
        var configuration = KAMConfiguration.embeddedDefaults
        configuration.rules = rules
        let runtime = try await Runtime.open(
            RuntimeOptions(configuration: configuration, environment: [:], now: { clock.now }, ids: .sequential()),
            store: store)
        return CRMTestWorld(runtime: runtime, clock: clock)
    }

    var now: Date { clock.now }

    /// Re-runs the rules for `clientID`, as `kam suggest run` does, so the demo's suggestions exist.
    @discardableResult
    func suggest(_ clientID: String) -> ClientRefresh.Outcome {
        ClientRefresh(runtime: runtime).run(clientID: clientID, cause: "test pass")
    }

    /// The client's open suggestions of `type`.
    func pending(_ clientID: String, _ type: SuggestionType) throws -> [Suggestion] {
        try SuggestionRepository(store: runtime.sqliteStore!).pending(clientID: clientID, type: type, now: now)
    }
}
