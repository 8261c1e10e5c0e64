import Foundation

/// The rules' facts of many clients, one client's snapshot (of the last `RuleFacts.activityWindow`) and latest health
/// score at a time, on any store: what the rules read when one of them scores leads (the lead score reads the whole
/// snapshot), and on PostgreSQL, where a snapshot is one round trip of prepared statements.
///
/// For example:
/// ```swift
/// let facts = try SnapshotRuleFacts(memory: memory, health: healthStore).facts(clientIDs: ["acme"], at: now)
/// ```
public struct SnapshotRuleFacts: RuleFactsReading {
    public let memory: any ClientMemoryReading
    public let health: any HealthStoring
    /// Scores each client's lead too (`RuleFacts.leadScore`) when set.
    public var leads: LeadScorer?

    public init(memory: any ClientMemoryReading, health: any HealthStoring, leads: LeadScorer? = nil) {
        self.memory = memory
        self.health = health
        self.leads = leads
    }

    public func facts(clientIDs: [String], at now: Date) throws -> [String: RuleFacts] {
        var out: [String: RuleFacts] = [:]
        for clientID in clientIDs {
            guard
                let snapshot = try memory.snapshot(clientID: clientID, activitiesSince: now.addingTimeInterval(-RuleFacts.activityWindow))
            else { continue }
            let score = try health.history(clientID: clientID, limit: 1).first?.score
            out[clientID] = RuleFacts(snapshot: snapshot, health: score, lead: leads?.score(snapshot, at: now), at: now)
        }
        return out
    }
}
