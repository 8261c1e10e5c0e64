import Foundation

/// The usage ledger: every model call's row, and totals over them.
///
/// `KAMStore` keeps it in SQLite and `KAMPostgres` in PostgreSQL (`model_calls`); `InMemoryCallLog` serves tests.
public protocol CallLog: Sendable {
    /// Appends one call's row; `CallMeter` calls it before the answer reaches the caller.
    func append(_ record: ModelCallRecord) async throws
    /// Appends many rows at once, oldest first (`kam db copy-ledger`); a store writes them in one transaction.
    func append(contentsOf records: [ModelCallRecord]) async throws
    /// Totals of calls, grouped as asked.
    func usage(_ query: UsageQuery) async throws -> [UsageTotals]
    /// The latest rows, newest first.
    func recentCalls(limit: Int) async throws -> [ModelCallRecord]
    /// Every call made from `start` (included) to `end` (excluded), oldest first: a day's calls for the analytics
    /// snapshots.
    func calls(from start: Date, to end: Date) async throws -> [ModelCallRecord]
    /// Every call made for client `clientID`, oldest first: what a client's data export shows.
    func calls(clientID: String) async throws -> [ModelCallRecord]
    /// Clears the client of every call made for client `clientID`, keeping its tokens and cost (a client's
    /// erasure); returns how many.
    func detach(clientID: String) async throws -> Int
}

extension CallLog {
    /// One row at a time, for a log without transactions of its own (memory).
    public func append(contentsOf records: [ModelCallRecord]) async throws {
        for record in records { try await append(record) }
    }
}
