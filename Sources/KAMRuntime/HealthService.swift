import Foundation
import KAMCore
import KAMStore

/// Client health: the weighted score with each factor's explanation (weights and bands from the
/// configuration's `rules:`), recorded in the history on every scoring.
public struct HealthService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// One client's new score and the one stored before it.
    public struct Scored: Sendable {
        public var score: HealthScore
        public var previous: HealthScore?
    }

    /// Scores each client now and records the scores; clients that vanished are skipped.
    public func score(clientIDs: [String], as user: ActingUser) throws -> [Scored] {
        for id in clientIDs { try runtime.requireInScope(clientID: id, as: user) }
        let repository = runtime.healthStore
        let scorer = HealthScorer(rules: runtime.configuration.rules)
        let now = runtime.now()
        var scored: [Scored] = []
        for id in clientIDs {
            guard let snapshot = try runtime.clientMemory.snapshot(clientID: id, activitiesSince: now.addingTimeInterval(-30 * 86_400))
            else { continue }
            let previous = try repository.history(clientID: id, limit: 1).first
            let score = scorer.score(snapshot, at: now)
            try repository.record(score)
            scored.append(Scored(score: score, previous: previous))
        }
        return scored
    }

    /// The stored scores of a client, newest first.
    public func history(clientID: String, limit: Int = 30, as user: ActingUser) throws -> [HealthScore] {
        try runtime.requireInScope(clientID: clientID, as: user)
        return try runtime.healthStore.history(clientID: clientID, limit: limit)
    }
}
