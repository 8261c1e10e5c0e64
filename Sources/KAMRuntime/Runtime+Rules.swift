import KAMCore
import KAMStore

extension Runtime {
    /// The rules engine (`kam rules`, the `RuleEngine` consumer, the scheduled rules).
    public var rules: RuleService { RuleService(runtime: self) }
    /// Each user's notifications (`kam inbox`, `GET /inbox`).
    public var inbox: InboxService { InboxService(runtime: self) }
    /// Where the inboxes are read and marked read: the store's file (`NotificationRepository`;
    /// `PostgresNotificationStore` is the same on PostgreSQL).
    var notificationStore: any NotificationStoring { NotificationRepository(store: store) }
    /// Where the rules' executions are logged and their writes made: the store's file (`RuleExecutionRepository`;
    /// `PostgresRuleExecutionStore` is the same on PostgreSQL).
    var ruleExecutions: any RuleExecutionStoring { RuleExecutionRepository(store: store) }
}
