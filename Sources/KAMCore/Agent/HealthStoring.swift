import Foundation

/// Clients' health score history and their leads' status moves, wherever they are kept: `KAMStore.HealthRepository`
/// (SQLite) and `KAMPostgres.PostgresHealthStore` implement it; the services reach it through `Runtime.healthStore`.
///
/// Both stores behave alike across processes sharing their database (`HealthStoreConformanceTests`): a score's
/// `health.changed` event compares it with the score stored just before it, whoever stored that; of two moves of one
/// lead from the same status taken at once, exactly one is applied and the other is refused as a stale move.
///
/// For example:
/// ```swift
/// try health.record(HealthScore(clientID: "acme", score: 41, factors: [], computedAt: now))
/// try health.history(clientID: "acme", limit: 1).first?.band   // .atRisk
/// try health.apply(LeadTransition(clientID: "acme", from: .new, to: .contacted, automatic: false, reason: "call", at: now))
/// ```
public protocol HealthStoring: Sendable {
    /// Keeps a client's new score with its `health.changed` event (the previous score in its payload), in one
    /// transaction; a score equal to the previous one (same score and band) is kept without an event.
    func record(_ score: HealthScore) throws

    /// The client's scores, newest first (then newest stored), at most `limit`.
    func history(clientID: String, limit: Int) throws -> [HealthScore]

    /// Applies a lead move: the client's status and the kept move, with its `lead.status-changed` event, in one
    /// transaction.
    /// - Throws: `StoreError` `.clientNotFound`; `.invalidValue` when the client's status is no longer the move's
    ///   `from` (someone moved it meanwhile).
    func apply(_ transition: LeadTransition) throws

    /// The client's lead moves, oldest first.
    func transitions(clientID: String) throws -> [LeadTransition]

    /// Every client `covers` keeps (by its owner's id) as a lead for `LeadStatistics`, in the order of client ids.
    func leads(covers: (String?) -> Bool) throws -> [LeadStatistics.Lead]
}
