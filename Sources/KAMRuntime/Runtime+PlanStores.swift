import KAMCore
import KAMStore

extension Runtime {
    /// The daily plans, through the core's protocol: the store's SQLite file today (`DailyPlanRepository`); the one
    /// place that will pick `PostgresDailyPlanStore` when the whole store can be on PostgreSQL (issue #17).
    var dailyPlans: any DailyPlanStoring { DailyPlanRepository(store: store) }

    /// The weekly team analysis, as `dailyPlans` (`WeeklyAnalysisRepository`, `PostgresWeeklyAnalysisStore`).
    var weeklyAnalyses: any WeeklyAnalysisStoring { WeeklyAnalysisRepository(store: store) }
}
