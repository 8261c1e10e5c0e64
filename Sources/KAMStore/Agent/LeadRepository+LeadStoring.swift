import KAMCore

/// The SQLite lead details, as the core's `LeadStoring` (`PostgresLeadStore` is its PostgreSQL twin).
extension LeadRepository: LeadStoring {}
