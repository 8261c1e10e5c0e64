import Foundation
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

    public func calls(from start: Date, to end: Date) async throws -> [ModelCallRecord] {
        records.filter { $0.time >= start && $0.time < end }.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    }

    public func calls(clientID: String) async throws -> [ModelCallRecord] {
        records.filter { $0.clientID == clientID }.sorted { $0.time < $1.time }
    }

    public func detach(clientID: String) async throws -> Int {
        rows.withLock { rows in
            var count = 0
            for index in rows.indices where rows[index].clientID == clientID {
                rows[index].clientID = nil
                count += 1
            }
            return count
        }
    }

    /// Every row in the order appended.
    public var records: [ModelCallRecord] { rows.withLock { $0 } }
}
