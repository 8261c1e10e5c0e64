import Foundation
import KAMCore

/// The usage ledger (`kam usage`): model calls, tokens and cost, in total or grouped by day, model,
/// prompt, client or user. Every call is logged, refused and failed ones included, so the totals are
/// what was attempted, not only what was paid.
///
/// For example:
/// ```swift
/// let perClient = try await runtime.usage.totals(by: .client, since: monday)
/// perClient.first { $0.key == "acme" }?.calls
/// ```
public struct UsageService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// One group's totals as `--json` prints them: snake_case keys, the cost in dollars as a decimal string.
    public struct Line: Codable, Sendable, Hashable {
        public var key: String
        public var calls: Int
        public var failures: Int
        public var refused: Int
        public var offline: Int
        public var inputTokens: Int
        public var outputTokens: Int
        public var cachedInputTokens: Int
        public var cost: String
        public var unpricedCalls: Int

        enum CodingKeys: String, CodingKey {
            case key, calls, failures, refused, offline, cost
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
            case cachedInputTokens = "cached_input_tokens"
            case unpricedCalls = "unpriced_calls"
        }

        public init(_ totals: UsageTotals) {
            key = totals.key
            calls = totals.calls
            failures = totals.failures
            refused = totals.refused
            offline = totals.offlineCalls
            inputTokens = totals.inputTokens
            outputTokens = totals.outputTokens
            cachedInputTokens = totals.cachedInputTokens
            cost = totals.cost.decimalString
            unpricedCalls = totals.unpricedCalls
        }
    }

    /// Totals of the logged calls at or after `since` (all of them when nil), one per group ordered by
    /// key, or a single `all` group when `grouping` is nil; empty when no call was logged.
    ///
    /// - Throws: the store's error when the call log cannot be read.
    public func totals(by grouping: UsageQuery.Grouping? = nil, since: Date? = nil) async throws -> [UsageTotals] {
        try await runtime.log.usage(UsageQuery(grouping: grouping, since: since))
    }
}
