import Foundation

/// The rules engine's log and writes (`rule_executions`), wherever they are kept: `KAMStore.RuleExecutionRepository`
/// (SQLite) and `KAMPostgres.PostgresRuleExecutionStore` implement it; `RuleService` reaches it through `Runtime.ruleExecutions`.
///
/// An execution and every write of its actions commit in one transaction; the log's unique key (rule, cause, client)
/// makes a second execution of the same cause a no-op, so an event handled twice (by two processes) never doubles an
/// action.
public protocol RuleExecutionStoring: Sendable {
    /// Records `requests` in order in one transaction: each execution logged and, unless its chain or its cooldown
    /// stops it, its writes made; each stored execution, or nil for one whose rule, cause and client were already
    /// executed (nothing is written then).
    @discardableResult
    func record(_ requests: [RuleExecutionRequest], clock: @Sendable () -> Date) throws -> [RuleExecution?]

    /// Whether `request`, recorded now, would make its writes: not executed yet for its rule, cause and client, and
    /// neither its chain nor its cooldown stops it. Asked before a write costs something (a model call).
    func fires(_ request: RuleExecutionRequest) throws -> Bool

    /// Executions, newest first, of `rule`, client `clientID` (and only of `clientIDs`), `status` and started at or
    /// after `since` when given; `limit` of them after the first `offset`.
    func log(
        rule: String?, clientIDs: Set<String>?, clientID: String?, status: RuleExecution.Status?, since: Date?,
        limit: Int, offset: Int
    ) throws -> [RuleExecution]
}
