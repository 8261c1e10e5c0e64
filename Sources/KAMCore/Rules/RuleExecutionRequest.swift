/// A matched rule's execution as decided outside the store (its conditions, its actions' writes), for
/// `RuleExecutionRepository.record`, which checks the chain and the cooldown inside the transaction that logs it
/// and makes the writes: so executions recorded together in one transaction see each other.
public struct RuleExecutionRequest: Sendable {
    /// The execution to log, as fired; the record stops it when its chain or cooldown says so.
    public var execution: RuleExecution
    /// Each action with its write, made only when the execution fires.
    public var writes: [(action: String, write: RuleWrite)]
    /// The chain of the event that started the rule (nil for a schedule's or a test's run): the rule fires once per
    /// client in a chain, and not past `RuleChain.depthLimit`.
    public var chain: RuleChain?
    /// The rule's `cooldown_days` (0: none): it does not fire again for the client within that many days.
    public var cooldownDays: Int

    public init(
        execution: RuleExecution, writes: [(action: String, write: RuleWrite)], chain: RuleChain?, cooldownDays: Int
    ) {
        self.execution = execution
        self.writes = writes
        self.chain = chain
        self.cooldownDays = cooldownDays
    }
}
