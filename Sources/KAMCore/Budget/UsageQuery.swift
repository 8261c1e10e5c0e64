import Foundation

/// What `kam usage` asks the ledger: totals since a date, optionally grouped.
public struct UsageQuery: Sendable, Hashable {
    public enum Grouping: String, Sendable, Hashable, CaseIterable {
        case day, model, prompt, client, user
    }

    public var grouping: Grouping?
    /// Only calls at or after this time.
    public var since: Date?
    /// Only calls made for these users (a manager's team); nil: every call.
    public var userIDs: Set<String>?

    public init(grouping: Grouping? = nil, since: Date? = nil, userIDs: Set<String>? = nil) {
        self.grouping = grouping
        self.since = since
        self.userIDs = userIDs
    }

    /// Whether the query counts `record`: at or after `since`, for one of `userIDs`.
    public func includes(_ record: ModelCallRecord) -> Bool {
        (since.map { record.time >= $0 } ?? true) && (userIDs.map { record.userID.map($0.contains) ?? false } ?? true)
    }

    /// The group key of a record: UTC day `2026-11-21`, answered (else requested) model, or an id (`-` when unset).
    public static func key(of record: ModelCallRecord, for grouping: Grouping?) -> String {
        switch grouping {
        case nil: return "all"
        case .day:
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let parts = calendar.dateComponents([.year, .month, .day], from: record.time)
            return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        case .model: return record.requestedModel
        case .prompt: return record.promptID ?? "-"
        case .client: return record.clientID ?? "-"
        case .user: return record.userID ?? "-"
        }
    }
}

/// Totals of calls in one usage group.
public struct UsageTotals: Sendable, Hashable, Codable {
    public var key: String
    public var calls: Int
    public var failures: Int
    public var refused: Int
    public var offlineCalls: Int
    public var inputTokens: Int
    public var outputTokens: Int
    public var cachedInputTokens: Int
    /// Sum of the known costs.
    public var cost: Money
    /// Calls whose price is unknown: their cost is not in `cost`.
    public var unpricedCalls: Int

    public init(
        key: String, calls: Int = 0, failures: Int = 0, refused: Int = 0, offlineCalls: Int = 0, inputTokens: Int = 0,
        outputTokens: Int = 0, cachedInputTokens: Int = 0, cost: Money = .zero, unpricedCalls: Int = 0
    ) {
        self.key = key
        self.calls = calls
        self.failures = failures
        self.refused = refused
        self.offlineCalls = offlineCalls
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.cost = cost
        self.unpricedCalls = unpricedCalls
    }

    /// Adds one record to the totals.
    public mutating func add(_ record: ModelCallRecord) {
        calls += 1
        if record.outcome == .failure { failures += 1 }
        if record.outcome == .refused { refused += 1 }
        if record.isOffline { offlineCalls += 1 }
        inputTokens += record.inputTokens
        outputTokens += record.outputTokens
        cachedInputTokens += record.cachedInputTokens
        if let cost = record.cost { self.cost += cost } else { unpricedCalls += 1 }
    }

    /// Groups records into totals, ordered by key.
    public static func summarize(_ records: [ModelCallRecord], query: UsageQuery) -> [UsageTotals] {
        var groups: [String: UsageTotals] = [:]
        for record in records where query.includes(record) {
            let key = UsageQuery.key(of: record, for: query.grouping)
            groups[key, default: UsageTotals(key: key)].add(record)
        }
        return groups.values.sorted { $0.key < $1.key }
    }
}
