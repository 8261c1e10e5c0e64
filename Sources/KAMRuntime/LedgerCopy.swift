import Foundation
import KAMCore
import KAMPostgres
import KAMStore

/// `kam db copy-ledger`: the budget and usage ledgers (budgets, reservations, model calls) copied from one store to
/// another — a SQLite file or a PostgreSQL database, either way — so a team that moves its budgets to a shared
/// PostgreSQL ledger (`budgets.ledger`) keeps its spending history, and can move back.
///
/// The target must hold no ledger rows: a copy never merges two histories. Budgets and reservations are written in
/// one ledger transaction, the calls in one more; the counts and the money of both sides are compared at the end.
public struct LedgerCopy: Sendable {
    public struct Outcome: Sendable, Hashable, Codable {
        public var source: LedgerCounts
        public var target: LedgerCounts
    }

    /// Copies the ledger of `source` into `target`.
    /// - Throws: `RuntimeError` `.invalid` (`ledger.target-not-empty`) when the target holds ledger rows,
    ///   (`ledger.same-place`) when both sides are one place, (`ledger.copy-mismatch`) when the counts differ
    ///   afterwards; `StoreError` or `PostgresStoreError` when a side cannot be opened.
    public static func copy(from source: StorePlace, to target: StorePlace, now: @escaping @Sendable () -> Date = { Date() })
        async throws -> Outcome
    {
        try await StorePlace.copy(from: source, to: target, area: "ledger", open: { place in
            let side = try await Side.open(place, now: now)
            return (side, side.closing)
        }) { from, to in try await copy(from, to, target: target) }
    }

    private static func copy(_ from: Side, _ to: Side, target: StorePlace) async throws -> Outcome {
        let existing = try await to.counts()
        guard existing.budgets + existing.reservations + existing.calls == 0 else {
            throw RuntimeError(
                .invalidInput, code: "ledger.target-not-empty",
                "\(target) already holds \(existing.budgets) budgets, \(existing.reservations) reservations and \(existing.calls) model calls; copy into an empty ledger (a copy never merges two histories)")
        }
        let (budgets, reservations) = try from.budgets.read { transaction in
            (try transaction.budgets(), try transaction.reservations())
        }
        try to.budgets.write { transaction in
            for budget in budgets { try transaction.saveBudget(budget) }
            for reservation in reservations { try transaction.insertReservation(reservation) }
        }
        try await to.log.append(contentsOf: try await from.log.recentCalls(limit: Int.max).reversed())
        let outcome = Outcome(source: try await from.counts(), target: try await to.counts())
        guard outcome.source == outcome.target else {
            throw RuntimeError(
                .invalidInput, code: "ledger.copy-mismatch",
                "after the copy the source holds \(outcome.source) and the target \(outcome.target); the target is not a faithful copy: remove its ledger rows and copy again")
        }
        return outcome
    }

    /// One opened side: its ledger stores, and what to close.
    private struct Side {
        var budgets: any BudgetStore
        var log: any CallLog
        var closing: @Sendable () async -> Void

        static func open(_ place: StorePlace, now: @escaping @Sendable () -> Date) async throws -> Side {
            switch place {
            case .sqlite(let path):
                let store = try ClientStore.open(path: path, now: now)
                return Side(budgets: SQLiteBudgetStore(writer: store.writer), log: SQLiteCallLog(writer: store.writer), closing: {})
            case .postgres(let url):
                let database = try await PostgresStore.open(PostgresStoreConfiguration(url: url))
                return Side(
                    budgets: PostgresBudgetStore(store: database), log: PostgresCallLog(store: database),
                    closing: { await database.close() })
            }
        }

        func close() async { await closing() }

        func counts() async throws -> LedgerCounts { try await LedgerCounts.read(budgets, log) }
    }
}
