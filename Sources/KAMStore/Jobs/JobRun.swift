import Foundation

/// One run of a scheduled job for one slot: who ran it, when, and what came of it.
public struct JobRun: Codable, Sendable, Hashable {
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case running, succeeded, failed
    }

    public var id: Int64
    public var job: String
    /// The user a per-user job's run is for (the daily review); nil for a job that runs once a slot.
    public var subject: String?
    /// The scheduled minute the run is for.
    public var slot: Date
    /// Asked for by hand (`kam jobs run`), not by the schedule.
    public var manual: Bool
    public var owner: String
    public var attempts: Int
    public var outcome: Outcome
    public var startedAt: Date
    public var finishedAt: Date?
    /// What the run did (`{"expired": 3}`).
    public var counts: [String: Int]
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case id, job, subject, slot, manual, owner, attempts, outcome, counts, error
        case startedAt = "started_at", finishedAt = "finished_at"
    }
}
