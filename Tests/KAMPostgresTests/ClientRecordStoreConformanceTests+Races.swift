import Foundation
import KAMCore
import KAMTesting
import Testing

/// The client records' writes racing across two handles (two processes): only the stores' concurrency control
/// (SQLite's single writer; PostgreSQL's row locks and unique keys, `PostgresClientRecordStore`) keeps each to one
/// winner.
extension ClientRecordStoreConformanceTests {
    /// Runs `body` on 8 threads at once, alternating between the world's two handles.
    static func race<T: Sendable>(
        _ world: ClientRecordWorld, _ body: @escaping @Sendable (any ClientRecordStoring, Int) throws -> T
    ) async -> [Result<T, any Error>] {
        let handles = world.handles
        return await OnThreads.results(8) { index in try body(handles[index % 2], index) }
    }

    /// The `StoreError`s of the failed results.
    static func refusals<T>(_ results: [Result<T, any Error>]) -> [StoreError] {
        results.compactMap { result in
            guard case .failure(let error) = result else { return nil }
            return error as? StoreError
        }
    }

    @Test("of 8 processes adding one email to one client, exactly one stores it", arguments: StoreBackend.allCases)
    func racingContacts(kind: StoreBackend) async throws {
        try await kind.withWorld(ClientRecordWorld.self) { (world) async throws in
            let results = await Self.race(world) { records, index in
                try records.addContact(
                    Contact(clientID: "acme", name: "Ana \(index)", email: index % 2 == 0 ? "ana@acme.example" : "ANA@acme.example"))
            }
            let stored = results.compactMap { try? $0.get() }
            #expect(stored.count == 1)
            let refusals = Self.refusals(results)
            let taken = "already belongs to contact \(stored.first?.id ?? 0)"
            #expect(refusals.count == 7)
            #expect(refusals.allSatisfy { $0.code == .invalidValue && $0.message.contains(taken) })
            #expect(try world.handles[1].contacts(clientID: "acme") == stored)
            #expect(try await world.count("events", "kind = 'contact.created'") == 1)
        }
    }

    @Test("of 8 processes moving one deal from one stage, exactly one moves it and keeps one history entry",
        arguments: StoreBackend.allCases)
    func racingDealMoves(kind: StoreBackend) async throws {
        try await kind.withWorld(ClientRecordWorld.self) { (world) async throws in
            let (deal, _) = try world.records.addDeal(
                Deal(clientID: "acme", name: "Big", stage: .qualification, amount: 100, stageEnteredAt: Self.t0))
            let id = try #require(deal.id)
            struct SameStage: Error {}
            let at = Self.t0.addingTimeInterval(60)
            let results = await Self.race(world) { records, index in
                try records.moveDeal(id: id, to: .proposal, by: "p\(index)", at: at) { deal in
                    if deal.stage == .proposal { throw SameStage() }
                }
            }
            let moved = results.compactMap { try? $0.get() }
            #expect(moved.count == 1)
            #expect(results.filter { if case .failure(let error) = $0 { error is SameStage } else { false } }.count == 7)
            let stored = try #require(try world.handles[1].deal(id: id))
            #expect(stored.history.map(\.stage) == [.qualification, .proposal])
            #expect(stored.history.last?.by == moved.first?.deal.history.last?.by)
            #expect(try await world.count("deal_stage_history", "deal_id = \(id)") == 2)
            // The lead moved once (qualified → proposal), by the winner.
            #expect(moved.first?.leadTransition?.to == .proposal)
            #expect(try await world.count("lead_transitions", "client_id = 'acme'") == 1)
            #expect(try await world.count("events", "kind = 'deal.stage-changed'") == 2)
        }
    }

    @Test("of 8 processes remembering one new key, one creates the item and the others update it",
        arguments: StoreBackend.allCases)
    func racingMemory(kind: StoreBackend) async throws {
        try await kind.withWorld(ClientRecordWorld.self) { (world) async throws in
            let results = await Self.race(world) { records, index in
                try records.remember(
                    clientID: "acme", text: "budget review \(index)", key: "budget", kind: .fact, source: "user",
                    confidence: 1)
            }
            let outcomes = try results.map { try $0.get().outcome }
            #expect(outcomes.filter { $0 == .created }.count == 1)
            #expect(outcomes.filter { $0 == .updated }.count == 7)
            #expect(Set(try results.map { try $0.get().item.id }).count == 1)
            #expect(try await world.count("client_memory", "client_id = 'acme'") == 1)
            #expect(try await world.count("events", "kind = 'memory.remembered'") == 8)
        }
    }

    @Test("of 8 processes adding one new client id, exactly one adds it", arguments: StoreBackend.allCases)
    func racingClients(kind: StoreBackend) async throws {
        try await kind.withWorld(ClientRecordWorld.self) { (world) async throws in
            let results = await Self.race(world) { records, index in
                try records.addClient(Client(id: "hooli", name: "Hooli \(index)", createdAt: Self.t0))
            }
            let added = results.compactMap { try? $0.get() }
            #expect(added.count == 1)
            let expected = StoreError.clientIDTaken("hooli", name: added.first?.name ?? "").message
            let refusals = Self.refusals(results)
            #expect(refusals.count == 7)
            #expect(refusals.allSatisfy { $0.code == .invalidValue && $0.message == expected })
            #expect(try await world.count("events", "kind = 'client.created' AND subject_id = 'hooli'") == 1)
        }
    }
}
