extension Runtime {
    /// The usage ledger: calls, tokens and cost, grouped.
    public var usage: UsageService { UsageService(runtime: self) }

    /// Spending limits: set, list, show, remove.
    public var budgets: BudgetService { BudgetService(runtime: self) }

    /// Online prompt experiments: start, report, stop, promote.
    public var experiments: ExperimentService { ExperimentService(runtime: self) }
}
