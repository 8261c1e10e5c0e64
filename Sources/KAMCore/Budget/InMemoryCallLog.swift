import Synchronization

/// A `CallLog` in memory, for tests and runs without a database.
public final class InMemoryCallLog: CallLog {
    private let rows = Mutex<[ModelCallRecord]>([])

    public init() {}

    public func append(_ record: ModelCallRecord) async throws {
        rows.withLock { $0.append(record) }
    }

    public func usage(_ query: UsageQuery) async throws -> [UsageTotals] {
        UsageTotals.summarize(records, query: query)
    }

    public func recentCalls(limit: Int) async throws -> [ModelCallRecord] {
        Array(records.sorted { $0.time > $1.time }.prefix(limit))
    }

    /// Every row in the order appended.
    public var records: [ModelCallRecord] { rows.withLock { $0 } }
}
