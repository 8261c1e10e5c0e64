import KAMCore

/// The SQLite health history and lead moves, as the core's `HealthStoring` (`PostgresHealthStore` is its PostgreSQL
/// twin); SQLite's single writer makes each write's read and write one step.
extension HealthRepository: HealthStoring {}
