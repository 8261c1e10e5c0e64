import Foundation
import KAMCore
import KAMTesting
import Testing

/// Health scores and lead moves (`HealthStoring`), written once and run against SQLite and PostgreSQL, with scores
/// and moves racing across two handles (two processes) that only the stores' concurrency control keeps right.
@Suite("Health store conformance")
struct HealthStoreConformanceTests {
    static let t0 = GrowthWorld.start

    static func score(
        _ value: Int, of clientID: String = "acme", band: HealthBand? = nil, factors: [HealthFactor] = [],
        at seconds: TimeInterval
    ) -> HealthScore {
        HealthScore(
            clientID: clientID, score: value, band: band, factors: factors,
            computedAt: t0.addingTimeInterval(seconds))
    }

    static func move(
        _ from: LeadStatus, _ to: LeadStatus, of clientID: String = "acme", automatic: Bool = false,
        reason: String = "called", at seconds: TimeInterval = 0
    ) -> LeadTransition {
        LeadTransition(
            clientID: clientID, from: from, to: to, automatic: automatic, reason: reason,
            at: t0.addingTimeInterval(seconds))
    }

    @Test(
        "a score is kept with its factors and stored band, newest first; health.changed only when score or band moves",
        arguments: StoreBackend.allCases)
    func recordAndHistory(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            let health = world.health
            let factors = [
                HealthFactor(name: "engagement", weight: 0.6, score: 80, explanation: "3 calls in 30 days"),
                HealthFactor(name: "payments", weight: 0.4, score: 55, explanation: "one late invoice"),
            ]
            let first = Self.score(70, factors: factors, at: 0)
            let same = Self.score(70, at: 3_600)
            let rebanded = Self.score(70, band: .critical, at: 7_200)
            let drop = Self.score(41, at: 10_800)
            let tie = Self.score(44, at: 10_800)
            for score in [first, same, rebanded, drop, tie] { try health.record(score) }
            try health.record(Self.score(90, of: "globex", at: 0))

            #expect(try health.history(clientID: "acme", limit: 30) == [tie, drop, rebanded, same, first])
            #expect(try health.history(clientID: "acme", limit: 2) == [tie, drop])
            #expect(try health.history(clientID: "acme", limit: 30).last?.factors == factors)
            #expect(try health.history(clientID: "acme", limit: 30)[2].band == .critical)
            #expect(try health.history(clientID: "globex", limit: 30).map(\.score) == [90])
            #expect(try health.history(clientID: "initech", limit: 30).isEmpty)
            #expect(try health.history(clientID: "nobody", limit: 30).isEmpty)

            // The same score and band again writes no event; a new band or score does, naming the previous one.
            #expect(
                try await world.events(["health.changed"]) == [
                    GrowthWorld.line(.healthChanged(first, previous: nil)),
                    GrowthWorld.line(.healthChanged(rebanded, previous: same)),
                    GrowthWorld.line(.healthChanged(drop, previous: rebanded)),
                    GrowthWorld.line(.healthChanged(tie, previous: drop)),
                    GrowthWorld.line(.healthChanged(Self.score(90, of: "globex", at: 0), previous: nil)),
                ])
        }
    }

    @Test("a score of an unknown client is refused, with no event", arguments: StoreBackend.allCases)
    func unknownClientScore(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            // Refused by the foreign key: SQLite's and PostgreSQL's own errors.
            var refused = false
            do { try world.health.record(Self.score(50, of: "nobody", at: 0)) } catch { refused = true }
            #expect(refused)
            let history = try world.health.history(clientID: "nobody", limit: 30)
            let events = try await world.events(["health.changed"])
            #expect(history.isEmpty && events.isEmpty)
        }
    }

    @Test(
        "a lead move sets the status, is kept in time order with its event; a stale or unknown one is refused",
        arguments: StoreBackend.allCases)
    func moves(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            let health = world.health
            let contacted = Self.move(.new, .contacted, automatic: true, reason: "first activity logged", at: 60)
            try health.apply(contacted)
            // Kept in the order of their times, whatever the order they were applied in.
            let qualified = Self.move(.contacted, .qualified, reason: "BANT 80", at: 30)
            try health.apply(qualified)
            #expect(try health.transitions(clientID: "acme") == [qualified, contacted])
            #expect(try health.transitions(clientID: "globex").isEmpty)
            #expect(try health.leads(covers: { _ in true }).first { $0.clientID == "acme" }?.status == .qualified)

            // A move from a status the lead has left is refused, naming the status it has now.
            let stale = Self.move(.contacted, .lost, at: 90)
            let refused = #expect(throws: StoreError.self) { try health.apply(stale) }
            #expect(refused?.code == .invalidValue)
            #expect(refused?.message == "client acme is now qualified, not contacted; reload and try again")
            let unknown = #expect(throws: StoreError.self) { try health.apply(Self.move(.new, .contacted, of: "nobody")) }
            #expect(unknown?.code == .clientNotFound)
            #expect(unknown?.message == "no client has id 'nobody'")
            #expect(try health.transitions(clientID: "acme").count == 2)
            #expect(
                try await world.events(["lead.status-changed"]) == [
                    GrowthWorld.line(.leadStatusChanged(contacted)), GrowthWorld.line(.leadStatusChanged(qualified)),
                ])
        }
    }

    @Test(
        "every client as a lead: status, open deals' value (saturated), creation, moves, source and estimated value",
        arguments: StoreBackend.allCases)
    func leads(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            try await world.execute([
                GrowthWorld.deal("acme", "pilot", amount: 100),
                GrowthWorld.deal("acme", "rollout", amount: 250.5),
                GrowthWorld.deal("acme", "won", amount: 1_000, stage: "closed-won"),
                GrowthWorld.deal("acme", "lost", amount: 2_000, stage: "closed-lost"),
                GrowthWorld.deal("globex", "huge", amount: 1.7e308),
                GrowthWorld.deal("globex", "huger", amount: 1.7e308),
                """
                INSERT INTO lead_details (client_id, source, source_detail, value, currency, updated_at)
                VALUES ('acme', 'referral', 'Ana', 12000, 'EUR', \(Self.t0.timeIntervalSince1970))
                """,
                """
                INSERT INTO lead_details (client_id, source, value, currency, updated_at)
                VALUES ('initech', 'no-such-source', NULL, NULL, \(Self.t0.timeIntervalSince1970))
                """,
            ])
            let moves = [
                Self.move(.contacted, .qualified, of: "globex", at: 10), Self.move(.qualified, .won, of: "globex", at: 20),
                Self.move(.new, .contacted, at: 5),
            ]
            for move in moves { try world.health.apply(move) }

            let all = try world.health.leads(covers: { _ in true })
            #expect(
                all == [
                    LeadStatistics.Lead(
                        clientID: "acme", status: .contacted, value: 350.5, createdAt: GrowthWorld.createdAt(0),
                        transitions: [moves[2]], source: .referral, estimatedValue: 12_000),
                    LeadStatistics.Lead(
                        clientID: "globex", status: .won, value: .greatestFiniteMagnitude,
                        createdAt: GrowthWorld.createdAt(1), transitions: [moves[0], moves[1]]),
                    LeadStatistics.Lead(
                        clientID: "initech", status: .qualified, value: 0, createdAt: GrowthWorld.createdAt(2),
                        transitions: []),
                ])
            #expect(try world.health.leads(covers: { $0 == "u1" }).map(\.clientID) == ["acme"])
            #expect(try world.health.leads(covers: { $0 == nil }).map(\.clientID) == ["initech"])
            #expect(try world.health.leads(covers: { _ in false }).isEmpty)
        }
    }

    @Test(
        "8 equal scores racing over two handles, five times: each compares with the one before it, one event a round",
        arguments: StoreBackend.allCases)
    func racingScores(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            try world.health.record(Self.score(70, at: 0))
            let handles = world.handles
            // Five rounds, each of 8 equal scores unlike the round before: one event a round, naming the last score.
            var expected = [GrowthWorld.line(.healthChanged(Self.score(70, at: 0), previous: nil))]
            var previous = Self.score(70, at: 0)
            for round in 1...5 {
                let score = Self.score(round % 2 == 0 ? 70 : 41, at: Double(round * 60))
                let results = await OnThreads.results(8) { index in
                    try handles[index % 2].health.record(score)
                }
                for result in results { _ = try result.get() }
                expected.append(GrowthWorld.line(.healthChanged(score, previous: previous)))
                previous = score
            }
            #expect(try world.health.history(clientID: "acme", limit: 100).count == 41)
            #expect(try await world.events(["health.changed"]) == expected)
        }
    }

    @Test(
        "8 moves of one lead from the same status racing over two handles: exactly one is applied",
        arguments: StoreBackend.allCases)
    func racingMoves(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            let handles = world.handles
            let results = await OnThreads.results(8) { index in
                let to: LeadStatus = index % 2 == 0 ? .contacted : .lost
                try handles[index % 2].health.apply(Self.move(.new, to, reason: "\(index)"))
            }
            let applied = results.filter { (try? $0.get()) != nil }
            #expect(applied.count == 1)
            for case .failure(let error) in results {
                #expect((error as? StoreError)?.code == .invalidValue)
            }
            let kept = try world.health.transitions(clientID: "acme")
            #expect(kept.count == 1)
            let expected = kept.map { GrowthWorld.line(.leadStatusChanged($0)) }
            #expect(try await world.events(["lead.status-changed"]) == expected)
            #expect(try world.health.leads(covers: { $0 == "u1" }).first?.status == kept.first?.to)
        }
    }
}
