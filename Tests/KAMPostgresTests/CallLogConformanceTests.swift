import Foundation
import KAMCore
import Testing

/// The usage ledger's behaviour, written once and run against memory, SQLite and PostgreSQL.
@Suite("Call log conformance")
struct CallLogConformanceTests {
    static let day = LedgerWorld.day
    static let rows = [
        ModelCallRecord(
            id: "1", time: day, attribution: CallAttribution(userID: "ana", clientID: "acme", promptID: "follow-up"),
            promptVersion: "2", promptHash: "h", provider: "openai", requestedModel: "gpt-4o-mini",
            answeredModel: "gpt-4o-mini-2024-07-18", attempts: 2,
            usage: Usage(inputTokens: 100, outputTokens: 20, cachedInputTokens: 50, cacheCreationInputTokens: 4),
            cost: .known(Money(picodollars: 7)), latencyMilliseconds: 800),
        ModelCallRecord(
            id: "2", time: day.addingTimeInterval(86_400), attribution: CallAttribution(userID: "bo", clientID: "acme"),
            provider: "openai-compatible", requestedModel: "smol", answeredModel: "/models/smol.gguf",
            usage: Usage(inputTokens: 10, outputTokens: 5), cost: .unknown(model: "smol"), latencyMilliseconds: 90),
        ModelCallRecord(
            id: "3", time: day.addingTimeInterval(86_401), attribution: CallAttribution(clientID: "globex"),
            provider: "openai", requestedModel: "gpt-4o", attempts: 0, outcome: .refused, errorCode: "budget.exceeded"),
        ModelCallRecord(
            id: "4", time: day.addingTimeInterval(-3), provider: "offline", requestedModel: "offline",
            answeredModel: "offline", usage: Usage(inputTokens: 3, outputTokens: 3), outcome: .success, isOffline: true),
        ModelCallRecord(
            id: "5", time: day.addingTimeInterval(5), attribution: CallAttribution(userID: "ana", clientID: "Zeta"),
            provider: "anthropic", requestedModel: "claude", usage: Usage(inputTokens: 1, outputTokens: 0),
            outcome: .failure, errorCode: "provider.timeout"),
    ]

    @Test(
        "rows are stored and totalled as the reference summary, for every grouping and filter",
        arguments: LedgerStoreKind.allCases)
    func totals(kind: LedgerStoreKind) async throws {
        try await kind.withWorld(clients: 1) { world in
            let log = world.callLog
            for row in Self.rows { try await log.append(row) }
            let all = try await log.usage(UsageQuery())
            #expect(all.count == 1)
            #expect(all.first?.calls == 5)
            #expect(all.first?.failures == 1)
            #expect(all.first?.refused == 1)
            #expect(all.first?.offlineCalls == 1)
            #expect(all.first?.inputTokens == 114)
            #expect(all.first?.cost == Money(picodollars: 7))
            #expect(all.first?.unpricedCalls == 1)
            for grouping in [nil] + UsageQuery.Grouping.allCases.map(Optional.some) {
                for since in [nil, Self.day, Self.day.addingTimeInterval(1)] {
                    for users in [nil, Set(["ana"]), Set(["ana", "bo"]), Set<String>()] {
                        let query = UsageQuery(grouping: grouping, since: since, userIDs: users)
                        #expect(
                            try await log.usage(query) == UsageTotals.summarize(Self.rows, query: query), "\(query)")
                    }
                }
            }
            // Keys sort byte by byte, as SQLite and Swift do ("Zeta" before "acme").
            #expect(try await log.usage(UsageQuery(grouping: .client)).map(\.key) == ["-", "Zeta", "acme", "globex"])
        }
    }

    @Test("recent calls come back newest first, every field as it was written", arguments: LedgerStoreKind.allCases)
    func recentCalls(kind: LedgerStoreKind) async throws {
        try await kind.withWorld(clients: 1) { world in
            for row in Self.rows { try await world.callLog.append(row) }
            let recent = try await world.callLog.recentCalls(limit: 3)
            #expect(recent.map(\.id) == ["3", "2", "5"])
            let all = try await world.callLog.recentCalls(limit: 10)
            #expect(all.first { $0.id == "1" } == Self.rows[0])
            #expect(all.first { $0.id == "4" } == Self.rows[3])
            let unpriced = try #require(all.first { $0.id == "2" })
            #expect(unpriced.cost == nil)
            #expect(unpriced.callCost == .unknown(model: "/models/smol.gguf"))
        }
    }

    @Test(
        "a client's calls come back oldest first; detaching them keeps their tokens and cost under no client",
        arguments: LedgerStoreKind.allCases)
    func detachClient(kind: LedgerStoreKind) async throws {
        try await kind.withWorld(clients: 1) { world in
            let log = world.callLog
            for row in Self.rows { try await log.append(row) }
            #expect(try await log.calls(clientID: "acme").map(\.id) == ["1", "2"])
            #expect(try await log.calls(clientID: "acme").first == Self.rows[0])
            #expect(try await log.calls(clientID: "ACME").isEmpty)
            let before = try await log.usage(UsageQuery())
            #expect(try await log.detach(clientID: "acme") == 2)
            #expect(try await log.calls(clientID: "acme").isEmpty)
            #expect(try await log.detach(clientID: "acme") == 0)
            #expect(try await log.usage(UsageQuery()) == before)
            #expect(try await log.usage(UsageQuery(grouping: .client)).map(\.key) == ["-", "Zeta", "globex"])
            #expect(try await log.calls(clientID: "globex").map(\.id) == ["3"])
        }
    }

    @Test("the calls of a period come back oldest first, its start included and its end excluded", arguments: LedgerStoreKind.allCases)
    func callsOfAPeriod(kind: LedgerStoreKind) async throws {
        try await kind.withWorld(clients: 1) { world in
            let log = world.callLog
            for row in Self.rows { try await log.append(row) }
            #expect(try await log.calls(from: Self.day, to: Self.day.addingTimeInterval(86_400)).map(\.id) == ["1", "5"])
            #expect(try await log.calls(from: Self.day.addingTimeInterval(-3), to: Self.day).map(\.id) == ["4"])
            #expect(
                try await log.calls(from: Self.day.addingTimeInterval(-10), to: Self.day.addingTimeInterval(86_402)).map(\.id)
                    == ["4", "1", "5", "2", "3"])
            #expect(try await log.calls(from: Self.day.addingTimeInterval(6), to: Self.day.addingTimeInterval(86_400)).isEmpty)
        }
    }
}
