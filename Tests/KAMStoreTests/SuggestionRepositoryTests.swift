import Foundation
import KAMCore
import KAMStore
import Testing

/// The suggestions themselves are checked on SQLite and PostgreSQL alike by `SuggestionStoreConformanceTests`
/// (KAMPostgresTests); here the lead moves and health history a suggestion pass keeps beside them.
@Suite struct SuggestionRepositoryTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func makeRepo() throws -> (ClientStore, SuggestionRepository) {
        let store = try ClientStore.inMemory()
        _ = try store.upsertClient(Client(id: "acme", name: "Acme", leadStatus: .new, createdAt: t0))
        return (store, SuggestionRepository(store: store))
    }

    @Test func leadTransitionsAreKeptAndChecked() throws {
        let (store, _) = try makeRepo()
        let health = HealthRepository(store: store)
        try health.apply(LeadTransition(clientID: "acme", from: .new, to: .contacted, automatic: true, reason: "first activity", at: t0))
        #expect(throws: StoreError.self) {
            try health.apply(LeadTransition(clientID: "acme", from: .new, to: .qualified, automatic: true, reason: "x", at: t0))
        }
        #expect(try health.transitions(clientID: "acme").map(\.to) == [.contacted])
        try health.record(HealthScore(clientID: "acme", score: 72, factors: [], computedAt: t0))
        try health.record(HealthScore(clientID: "acme", score: 55, factors: [], computedAt: t0.addingTimeInterval(86_400)))
        #expect(try health.history(clientID: "acme").map(\.score) == [55, 72])
    }
}
