import KAMCore
import KAMStore

extension Runtime {
    /// Suggestions: run the rules, list, accept, dismiss, snooze, undo an accept.
    public var suggestions: SuggestionService { SuggestionService(runtime: self) }
    /// Health scores and their history.
    public var health: HealthService { HealthService(runtime: self) }
    /// Lead status, BANT score and transitions.
    public var leads: LeadService { LeadService(runtime: self) }
    /// The store as a whole (`kam db check`).
    public var database: DatabaseService { DatabaseService(runtime: self) }
    /// The day's plan.
    public var plans: PlanService { PlanService(runtime: self) }
}

extension Runtime {
    /// The demo accounts.
    public var demo: DemoService { DemoService(runtime: self) }
}
