import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@testable import KAMPostgres

/// `kam db copy-ledger`: a SQLite file's ledger into PostgreSQL and back, unchanged.
@Suite("Ledger copy between SQLite and PostgreSQL")
struct LedgerCopyTests {
    static let day = Date(timeIntervalSince1970: 1_790_000_000)

    /// A SQLite file with budgets, reservations in every state and calls of every outcome.
    static func sqliteLedger(at path: String) async throws {
        let store = try ClientStore.open(path: path, now: { day })
        try SQLiteBudgetStore(writer: store.writer).write { transaction in
            try transaction.saveBudget(Budget(scope: .global, period: .month, amount: Money(dollars: 20)))
            try transaction.saveBudget(Budget(scope: .client("acme"), period: .day, amount: Money(dollars: 1)))
            for (index, state) in Reservation.State.allCases.enumerated() {
                try transaction.insertReservation(
                    Reservation(
                        id: "r\(index)", attribution: CallAttribution(userID: "ana", clientID: index % 2 == 0 ? "acme" : nil),
                        model: "gpt-4o-mini", amount: Money(picodollars: 1_000 + Int64(index)),
                        createdAt: day.addingTimeInterval(Double(index)), expiresAt: day.addingTimeInterval(600),
                        budgetIDs: ["global/month"], state: state, cost: state == .settled ? Money(picodollars: 400) : nil))
            }
        }
        try await SQLiteCallLog(writer: store.writer).append(
            contentsOf: ModelCallRecord.Outcome.allCases.enumerated().map { index, outcome in
                ModelCallRecord(
                    id: "c\(index)", time: day.addingTimeInterval(Double(index)),
                    attribution: CallAttribution(userID: "ana", clientID: "acme", promptID: "draft.follow-up-email"),
                    provider: "openai", requestedModel: "gpt-4o-mini", usage: Usage(inputTokens: 100, outputTokens: 10),
                    cost: outcome == .success ? .known(Money(picodollars: 400)) : .unknown(model: "gpt-4o-mini"),
                    latencyMilliseconds: 20, outcome: outcome)
            })
    }

    @Test("SQLite → PostgreSQL → a new SQLite file keeps every row; a non-empty target and one place are refused")
    func roundTrip() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kam-ledger-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = folder.appendingPathComponent("team.sqlite").path
        try await Self.sqliteLedger(at: original)
        let schema = PostgresTestServer.freshSchema()
        let database = try await PostgresTestServer.open(schema: schema)
        let url = try #require(PostgresTestServer.url)
        let postgres = StorePlace(url + (url.contains("?") ? "&" : "?") + "schema=\(schema)")
        #expect(postgres != .sqlite(path: url))

        let there = try await LedgerCopy.copy(from: .sqlite(path: original), to: postgres)
        #expect(there.target.budgets == 2)
        #expect(there.target.reservations == Reservation.State.allCases.count)
        #expect(there.target.calls == ModelCallRecord.Outcome.allCases.count)
        #expect(there.target.callCost == 400)
        #expect(there.target.settledCost == 400)
        #expect(there.source == there.target)

        let back = folder.appendingPathComponent("back.sqlite").path
        let returned = try await LedgerCopy.copy(from: postgres, to: .sqlite(path: back))
        #expect(returned.target == there.source)
        // Every field came back as it was written.
        let before = try ClientStore.open(path: original, now: { Self.day })
        let after = try ClientStore.open(path: back, now: { Self.day })
        #expect(
            try await SQLiteCallLog(writer: after.writer).recentCalls(limit: 100)
                == SQLiteCallLog(writer: before.writer).recentCalls(limit: 100))
        #expect(
            try SQLiteBudgetStore(writer: after.writer).read { try $0.reservations() }
                == SQLiteBudgetStore(writer: before.writer).read { try $0.reservations() })

        await #expect { try await LedgerCopy.copy(from: .sqlite(path: original), to: postgres) } throws: { error in
            (error as? RuntimeError)?.code == "ledger.target-not-empty"
                && (error as? RuntimeError)?.message.contains("2 budgets") == true
        }
        await #expect { try await LedgerCopy.copy(from: .sqlite(path: original), to: .sqlite(path: original)) } throws: {
            ($0 as? RuntimeError)?.code == "ledger.same-place"
        }
        await #expect {
            try await LedgerCopy.copy(from: .sqlite(path: folder.appendingPathComponent("absent.sqlite").path), to: postgres)
        } throws: { ($0 as? RuntimeError)?.code == "ledger.no-source" }
        try await PostgresTestServer.drop(database)
    }
}
