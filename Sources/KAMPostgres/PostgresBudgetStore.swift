import Foundation
import KAMCore
import PostgresNIO

/// Budgets and reservations in a PostgreSQL database, shared by every process that opens it.
///
/// `BudgetStore` is synchronous (GRDB-style, and `BudgetLedger` calls it from inside its actor), so this store
/// bridges rather than changing the protocol: each transaction leases a pooled connection and waits for each
/// statement on the caller's thread (`PostgresSession`), as a GRDB write waits for SQLite. Making the protocol
/// async would reach into `BudgetLedger`, `CallMeter`, `PromptRunner` and the services for no gain in
/// correctness; the cost is one blocked thread per in-flight ledger write, the same as on SQLite.
///
/// `write` is SQLite's `BEGIN IMMEDIATE` on PostgreSQL: its transaction first takes an advisory lock keyed by
/// the schema (`pg_advisory_xact_lock`), held until commit, so checking that a call fits and recording its
/// reservation is one step across every process and machine: two of them can never both take the last dollar.
/// A process that dies mid-transaction loses its connection, and the server releases its lock. `read` runs in
/// a REPEATABLE READ READ ONLY transaction (one snapshot, no lock).
public struct PostgresBudgetStore: BudgetStore {
    public let store: PostgresStore

    /// The advisory lock's first key: "kam budget ledger" (the second is the schema name's hash).
    static let lockKey: Int32 = 0x4B41_4D02

    public init(store: PostgresStore) {
        self.store = store
    }

    public func write<T>(_ body: (any BudgetTransaction) throws -> T) throws -> T {
        try store.transaction(readOnly: false) { session in
            try session.query(
                "SELECT pg_advisory_xact_lock(\(Self.lockKey), hashtext(\(store.configuration.schema)))",
                doing: "waiting for the budget ledger's lock")
            return try body(Transaction(session: session))
        }
    }

    public func read<T>(_ body: (any BudgetTransaction) throws -> T) throws -> T {
        try store.transaction(readOnly: true) { session in try body(Transaction(session: session)) }
    }
}
