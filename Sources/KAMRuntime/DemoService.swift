import Foundation
import KAMCore
import KAMStore

/// The demo accounts (`kam demo`): eight realistic clients upserted by external id, so seeding twice
/// updates the same rows and adds nothing.
public struct DemoService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// What seeding wrote, and what the store holds afterwards.
    public struct Seeded: Sendable {
        public var summary: ImportSummary
        public var counts: StoreCounts
    }

    /// Upserts the demo accounts, dated relative to the runtime's clock.
    public func seed() throws -> Seeded {
        let summary = try DemoSeeder.seedDemo(into: runtime.store, now: runtime.now())
        return Seeded(summary: summary, counts: try runtime.store.counts())
    }
}
