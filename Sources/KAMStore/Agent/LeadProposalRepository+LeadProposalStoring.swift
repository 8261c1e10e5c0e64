import KAMCore

/// The SQLite enrichment proposals, as the core's `LeadProposalStoring` (`PostgresLeadProposalStore` is its
/// PostgreSQL twin).
extension LeadProposalRepository: LeadProposalStoring {}
