import Foundation
import KAMCore
import KAMStore

/// Re-runs what depends on one client's records after a CRM write: the health score (kept in
/// history), the automatic lead moves, and the suggestion rules — new suggestions stored, and open
/// ones whose cause is gone resolved (the overdue task was done, the silent client was called).
///
/// Every CRM write of the runtime (clients, contacts, activities, tasks, deals) calls this one pass,
/// through `SuggestionPass` with the configured `rules:`, the same pass `kam suggest run` makes.
///
/// The write commits first, in its own transaction; the refresh is a second step that only derives
/// from committed records. When it fails, the write stands and nothing is inconsistent, only stale:
/// the failure is returned in `Outcome.failure` (a surface shows it as a warning, not as a failed
/// write, so a person does not repeat the write), and the next refresh of the client — any later
/// write, or `kam suggest run CLIENT` — recomputes everything from the records and catches up.
///
/// For example:
/// ```swift
/// let outcome = ClientRefresh(runtime: runtime).run(clientID: "globex", cause: "task 2 done by tom")
/// outcome.resolved.map(\.type)   // [.escalate]
/// ```
public struct ClientRefresh: Sendable {
    let runtime: Runtime

    public init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// What re-running the client's rules changed.
    public struct Outcome: Codable, Sendable {
        public var clientID: String
        /// The score now (nil when the refresh failed).
        public var health: HealthScore?
        /// The last stored score before this refresh, to show the change.
        public var previousHealth: Int?
        /// Automatic lead moves the refresh made (first activity, BANT qualification).
        public var leadTransitions: [LeadTransition]
        /// Suggestions the rules newly propose.
        public var added: [Suggestion]
        /// Open suggestions the rules no longer propose, now `resolved` with the write as their resolution.
        public var resolved: [Suggestion]
        /// Why the refresh failed; the write itself is stored. Nil when it ran.
        public var failure: String?
    }

    /// Re-runs health, lead moves and suggestions for `clientID`; never throws (see the type's comment).
    ///
    /// - Parameter cause: what was written, kept as the resolution of the suggestions it resolves.
    public func run(clientID: String, cause: String) -> Outcome {
        var outcome = Outcome(
            clientID: clientID, health: nil, previousHealth: nil, leadTransitions: [], added: [], resolved: [],
            failure: nil)
        do {
            outcome.previousHealth = try runtime.healthStore.history(clientID: clientID, limit: 1).first?.score
            let ids = runtime.ids
            let pass = SuggestionPass(
                memory: runtime.clientMemory, health: runtime.healthStore, suggestions: runtime.suggestionStore, rules: runtime.configuration.rules)
            guard
                let result = try pass.run(
                    clientIDs: [clientID], now: runtime.now(), cause: cause, makeID: { ids.make(.suggestion) }
                ).first
            else {
                outcome.failure = "client '\(clientID)' was not found when re-scoring it"
                return outcome
            }
            outcome.health = result.health
            outcome.leadTransitions = result.leadTransitions
            outcome.added = result.added
            outcome.resolved = result.resolved
        } catch {
            outcome.failure = "\(error); the write is stored, `kam suggest run \(clientID)` re-scores the client"
        }
        return outcome
    }
}
