import KAMCore

/// The SQLite rules' log, as the core's `RuleExecutionStoring`; SQLite's single writer makes an execution's checks
/// (done, chain, cooldown) and its writes one step.
extension RuleExecutionRepository: RuleExecutionStoring {}
