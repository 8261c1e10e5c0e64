import Foundation
import KAMCore
import PostgresNIO

extension PostgresBudgetStore {
    /// The ledger's reads and writes as SQL statements on one session, the same as `SQLiteBudgetStore`'s.
    struct Transaction: BudgetTransaction {
        let session: PostgresSession

        func budgets() throws -> [Budget] {
            try session.query(
                "SELECT scope_kind, scope_value, period, amount_picousd FROM budgets ORDER BY id COLLATE \"C\"",
                doing: "reading budgets"
            ).rows.compactMap { row in
                let (kind, value, period, amount) = try row.decode((String, String, String, Int64).self)
                guard let kind = BudgetScope.Kind(rawValue: kind), let period = BudgetPeriod(rawValue: period) else {
                    return nil
                }
                return Budget(
                    scope: BudgetScope(kind: kind, value: value), period: period, amount: Money(picodollars: amount))
            }
        }

        func saveBudget(_ budget: Budget) throws {
            try session.query(
                """
                INSERT INTO budgets (id, scope_kind, scope_value, period, amount_picousd)
                VALUES (\(budget.id), \(budget.scope.kind.rawValue), \(budget.scope.value), \(budget.period.rawValue),
                    \(budget.amount.picodollars))
                ON CONFLICT (id) DO UPDATE SET amount_picousd = excluded.amount_picousd
                """, doing: "saving budget \(budget.id)")
        }

        func deleteBudget(id: String) throws -> Bool {
            let result = try session.query("DELETE FROM budgets WHERE id = \(id)", doing: "deleting budget \(id)")
            return (result.metadata.rows ?? 0) > 0
        }

        func totals(for scope: BudgetScope, in window: DateInterval, now: Date) throws -> BudgetTotals {
            let column = scope.kind.attributionColumn
            var binds = PostgresBindings()
            binds.append(now.timeIntervalSince1970)
            binds.append(window.start.timeIntervalSince1970)
            binds.append(window.end.timeIntervalSince1970)
            var sql = """
                SELECT
                    COALESCE(SUM(CASE WHEN state = 'settled' THEN COALESCE(cost_picousd, amount_picousd) END), 0)::BIGINT,
                    COALESCE(SUM(CASE WHEN state = 'reserved' AND expires_at > $1 THEN amount_picousd END), 0)::BIGINT
                FROM budget_reservations
                WHERE created_at >= $2 AND created_at < $3
                """
            if let column {
                sql += " AND \(column) = $4"
                binds.append(scope.value)
            }
            let query = PostgresQuery(unsafeSQL: sql, binds: binds)
            // An aggregate without GROUP BY always returns its one row.
            guard let row = try session.query(query, doing: "totalling \(scope)").rows.first else {
                return BudgetTotals()
            }
            let (spent, reserved) = try row.decode((Int64, Int64).self)
            return BudgetTotals(spent: Money(picodollars: spent), reserved: Money(picodollars: reserved))
        }

        func insertReservation(_ reservation: Reservation) throws {
            let budgetIDs = String(decoding: try JSONEncoder().encode(reservation.budgetIDs), as: UTF8.self)
            let attribution = reservation.attribution
            try session.query(
                """
                INSERT INTO budget_reservations
                    (id, user_id, team_id, client_id, prompt_id, run_id, model, amount_picousd, created_at, expires_at,
                     budget_ids, state, cost_picousd)
                VALUES (\(reservation.id), \(attribution.userID), \(attribution.teamID), \(attribution.clientID),
                    \(attribution.promptID), \(attribution.runID), \(reservation.model), \(reservation.amount.picodollars),
                    \(reservation.createdAt.timeIntervalSince1970), \(reservation.expiresAt.timeIntervalSince1970),
                    \(budgetIDs), \(reservation.state.rawValue), \(reservation.cost?.picodollars))
                """, doing: "recording reservation \(reservation.id)")
        }

        func reservation(id: String) throws -> Reservation? {
            try reservations(
                "\(unescaped: Self.reservationColumns) FROM budget_reservations WHERE id = \(id)", doing: "reading reservation \(id)"
            ).first
        }

        func reservations() throws -> [Reservation] {
            try reservations(
                "\(unescaped: Self.reservationColumns) FROM budget_reservations ORDER BY created_at, id COLLATE \"C\"",
                doing: "reading every reservation")
        }

        func reservations(clientID: String) throws -> [Reservation] {
            try reservations(
                "\(unescaped: Self.reservationColumns) FROM budget_reservations WHERE client_id = \(clientID) ORDER BY created_at, id COLLATE \"C\"",
                doing: "reading the reservations of client \(clientID)")
        }

        func detachReservations(clientID: String) throws -> Int {
            try session.query(
                "UPDATE budget_reservations SET client_id = NULL WHERE client_id = \(clientID)",
                doing: "detaching the reservations of client \(clientID)"
            ).metadata.rows ?? 0
        }

        private static let reservationColumns = """
            SELECT id, user_id, team_id, client_id, prompt_id, run_id, model, amount_picousd, created_at,
                expires_at, budget_ids, state, cost_picousd
            """

        private func reservations(_ query: PostgresQuery, doing: String) throws -> [Reservation] {
            try session.query(query, doing: doing).rows.map { row in
                let (
                    id, userID, teamID, clientID, promptID, runID, model, amount, createdAt, expiresAt, budgetIDsText,
                    state,
                    cost
                ) = try row.decode(
                    (
                        String, String?, String?, String?, String?, String?, String, Int64, Double, Double, String, String,
                        Int64?
                    ).self)
                let budgetIDs = (try? JSONDecoder().decode([String].self, from: Data(budgetIDsText.utf8))) ?? []
                return Reservation(
                    id: id,
                    attribution: CallAttribution(
                        userID: userID, teamID: teamID, clientID: clientID, promptID: promptID, runID: runID),
                    model: model, amount: Money(picodollars: amount), createdAt: Date(timeIntervalSince1970: createdAt),
                    expiresAt: Date(timeIntervalSince1970: expiresAt), budgetIDs: budgetIDs,
                    state: Reservation.State(rawValue: state) ?? .released, cost: cost.map(Money.init(picodollars:)))
            }
        }

        func updateReservation(id: String, state: Reservation.State, cost: Money?) throws {
            try session.query(
                "UPDATE budget_reservations SET state = \(state.rawValue), cost_picousd = \(cost?.picodollars) WHERE id = \(id)",
                doing: "updating reservation \(id)")
        }

        func abandonExpiredReservations(now: Date) throws -> Int {
            let result = try session.query(
                """
                UPDATE budget_reservations SET state = 'abandoned'
                WHERE state = 'reserved' AND expires_at <= \(now.timeIntervalSince1970)
                """, doing: "closing expired reservations")
            return result.metadata.rows ?? 0
        }
    }
}
