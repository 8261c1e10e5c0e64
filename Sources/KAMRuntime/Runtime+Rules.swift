extension Runtime {
    /// The rules engine (`kam rules`, the `RuleEngine` consumer, the scheduled rules).
    public var rules: RuleService { RuleService(runtime: self) }
    /// Each user's notifications (`kam inbox`, `GET /inbox`).
    public var inbox: InboxService { InboxService(runtime: self) }
}
