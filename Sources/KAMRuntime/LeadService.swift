import Foundation
import KAMCore
import KAMStore

/// Lead status: the BANT score (points and qualifying score from `rules:`), every transition kept, and
/// moves by hand with their reason.
public struct LeadService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// A client's lead status, its BANT score and its transitions, oldest first.
    public struct Lead: Sendable, Encodable {
        public var client: String
        public var status: String
        public var bant: LeadScore
        public var transitions: [LeadTransition]
    }

    /// The client's lead now.
    public func lead(clientID: String) throws -> Lead {
        let now = runtime.now()
        guard let snapshot = try runtime.store.snapshot(clientID: clientID, activitiesSince: now.addingTimeInterval(-30 * 86_400))
        else {
            throw RuntimeError(.notFound, code: "client.not-found", "no client has id '\(clientID)'")
        }
        let score = LeadScorer(rules: runtime.configuration.rules).score(snapshot, at: now)
        return Lead(
            client: clientID, status: snapshot.client.leadStatus.rawValue, bant: score,
            transitions: try HealthRepository(store: runtime.store).transitions(clientID: clientID))
    }

    /// The leads `user` may see in numbers: count and open-deal value by status, the funnel's conversion rates and
    /// the median days at each status (`LeadStatistics`).
    public func statistics(as user: ActingUser) throws -> LeadStatistics {
        let scope = try runtime.scope(for: user)
        return LeadStatistics(try HealthRepository(store: runtime.store).leads(covers: scope.coversClient(ownerID:)))
    }

    /// Moves the client's lead to `status` by hand, recording who and why.
    /// - Returns: the transition, or nil when the lead already had that status.
    @discardableResult
    public func move(clientID: String, to status: LeadStatus, reason: String?, as user: ActingUser) throws
        -> LeadTransition?
    {
        let client = try runtime.client(clientID)
        let why = (reason ?? "set by hand") + (user.id.map { " (by \($0))" } ?? "")
        guard let move = LeadLifecycle.manual(
            clientID: client.id, from: client.leadStatus, to: status, reason: why, at: runtime.now())
        else { return nil }
        try HealthRepository(store: runtime.store).apply(move)
        return move
    }
}
