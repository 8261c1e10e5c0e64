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
    /// Where suggestions and the decisions on them are kept: the store's file (`SuggestionRepository`); the one place
    /// that picks it, so the services work alike on another `SuggestionStoring` (PostgreSQL's).
    var suggestionStore: any SuggestionStoring { SuggestionRepository(store: store) }
    /// Where health scores and lead moves are kept: the store's file (`HealthRepository`; `PostgresHealthStore` is the
    /// same on PostgreSQL).
    var healthStore: any HealthStoring { HealthRepository(store: store) }
    /// Where leads' sources and values are kept: the store's file (`LeadRepository`; `PostgresLeadStore` on
    /// PostgreSQL).
    var leadStore: any LeadStoring { LeadRepository(store: store) }
    /// Where lead enrichment's proposals are kept: the store's file (`LeadProposalRepository`;
    /// `PostgresLeadProposalStore` on PostgreSQL).
    var leadProposalStore: any LeadProposalStoring { LeadProposalRepository(store: store) }
}

extension Runtime {
    /// The demo accounts.
    public var demo: DemoService { DemoService(runtime: self) }
}
