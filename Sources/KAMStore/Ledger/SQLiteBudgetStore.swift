import Foundation
import GRDB
import KAMCore

/// Budgets and reservations in the KAM SQLite file.
///
/// `write` runs in a `BEGIN IMMEDIATE` transaction: SQLite takes the write lock before the first
/// read, so two processes cannot both check a budget and both take its last dollar; the second
/// waits (busy timeout) and then sees the first one's reservation.
public struct SQLiteBudgetStore: BudgetStore {
    public let writer: any DatabaseWriter

    /// Uses the connection of an opened store (its migrations include the ledger tables).
    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    public func write<T>(_ body: (any BudgetTransaction) throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(Transaction(db: db))
                return .commit
            }
            return result!
        }
    }

    public func read<T>(_ body: (any BudgetTransaction) throws -> T) throws -> T {
        try writer.read { db in try body(Transaction(db: db)) }
    }

    struct Transaction: BudgetTransaction {
        let db: Database

        func budgets() throws -> [Budget] {
            try Row.fetchAll(db, sql: "SELECT scope_kind, scope_value, period, amount_picousd FROM budgets ORDER BY id")
                .compactMap { row in
                    guard let kind = BudgetScope.Kind(rawValue: row["scope_kind"]),
                        let period = BudgetPeriod(rawValue: row["period"])
                    else { return nil }
                    return Budget(
                        scope: BudgetScope(kind: kind, value: row["scope_value"]), period: period,
                        amount: Money(picodollars: row["amount_picousd"]))
                }
        }

        func saveBudget(_ budget: Budget) throws {
            try db.execute(
                sql: """
                    INSERT INTO budgets (id, scope_kind, scope_value, period, amount_picousd) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET amount_picousd = excluded.amount_picousd
                    """,
                arguments: [
                    budget.id, budget.scope.kind.rawValue, budget.scope.value, budget.period.rawValue,
                    budget.amount.picodollars,
                ])
        }

        func deleteBudget(id: String) throws -> Bool {
            try db.execute(sql: "DELETE FROM budgets WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }

        func totals(for scope: BudgetScope, in window: DateInterval, now: Date) throws -> BudgetTotals {
            let column = scope.kind.attributionColumn
            var sql = """
                SELECT
                    COALESCE(SUM(CASE WHEN state = 'settled' THEN COALESCE(cost_picousd, amount_picousd) END), 0) AS spent,
                    COALESCE(SUM(CASE WHEN state = 'reserved' AND expires_at > ? THEN amount_picousd END), 0) AS reserved
                FROM budget_reservations
                WHERE created_at >= ? AND created_at < ?
                """
            var arguments: StatementArguments = [
                now.timeIntervalSince1970, window.start.timeIntervalSince1970, window.end.timeIntervalSince1970,
            ]
            if let column {
                sql += " AND \(column) = ?"
                arguments += [scope.value]
            }
            let row = try Row.fetchOne(db, sql: sql, arguments: arguments)
            return BudgetTotals(
                spent: Money(picodollars: row?["spent"] ?? 0), reserved: Money(picodollars: row?["reserved"] ?? 0))
        }

        func insertReservation(_ reservation: Reservation) throws {
            let budgetIDs = String(decoding: try JSONEncoder().encode(reservation.budgetIDs), as: UTF8.self)
            try db.execute(
                sql: """
                    INSERT INTO budget_reservations
                        (id, user_id, team_id, client_id, prompt_id, run_id, model, amount_picousd, created_at, expires_at,
                         budget_ids, state, cost_picousd)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    reservation.id, reservation.attribution.userID, reservation.attribution.teamID,
                    reservation.attribution.clientID, reservation.attribution.promptID, reservation.attribution.runID,
                    reservation.model,
                    reservation.amount.picodollars, reservation.createdAt.timeIntervalSince1970,
                    reservation.expiresAt.timeIntervalSince1970, budgetIDs, reservation.state.rawValue,
                    reservation.cost?.picodollars,
                ])
        }

        func reservation(id: String) throws -> Reservation? {
            try Row.fetchOne(db, sql: "SELECT * FROM budget_reservations WHERE id = ?", arguments: [id]).map(Self.reservation)
        }

        func reservations() throws -> [Reservation] {
            try Row.fetchAll(db, sql: "SELECT * FROM budget_reservations ORDER BY created_at, id").map(Self.reservation)
        }

        func reservations(clientID: String) throws -> [Reservation] {
            try Row.fetchAll(
                db, sql: "SELECT * FROM budget_reservations WHERE client_id = ? ORDER BY created_at, id", arguments: [clientID]
            ).map(Self.reservation)
        }

        func detachReservations(clientID: String) throws -> Int {
            try db.execute(sql: "UPDATE budget_reservations SET client_id = NULL WHERE client_id = ?", arguments: [clientID])
            return db.changesCount
        }

        private static func reservation(_ row: Row) -> Reservation {
            let budgetIDs = (try? JSONDecoder().decode([String].self, from: Data((row["budget_ids"] as String).utf8))) ?? []
            let cost: Int64? = row["cost_picousd"]
            return Reservation(
                id: row["id"],
                attribution: CallAttribution(
                    userID: row["user_id"], teamID: row["team_id"], clientID: row["client_id"], promptID: row["prompt_id"],
                    runID: row["run_id"]),
                model: row["model"], amount: Money(picodollars: row["amount_picousd"]),
                createdAt: Date(timeIntervalSince1970: row["created_at"]),
                expiresAt: Date(timeIntervalSince1970: row["expires_at"]), budgetIDs: budgetIDs,
                state: Reservation.State(rawValue: row["state"]) ?? .released, cost: cost.map(Money.init(picodollars:)))
        }

        func updateReservation(id: String, state: Reservation.State, cost: Money?) throws {
            try db.execute(
                sql: "UPDATE budget_reservations SET state = ?, cost_picousd = ? WHERE id = ?",
                arguments: [state.rawValue, cost?.picodollars, id])
        }

        func abandonExpiredReservations(now: Date) throws -> Int {
            try db.execute(
                sql: "UPDATE budget_reservations SET state = 'abandoned' WHERE state = 'reserved' AND expires_at <= ?",
                arguments: [now.timeIntervalSince1970])
            return db.changesCount
        }
    }
}
