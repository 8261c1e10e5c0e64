import Foundation
import GRDB
import KAMCore

/// Online experiments in the store, and the outcomes of their drafts (read from the drafts and feedback
/// tables, where a draft carries its experiment id and variant). `start` checks and inserts in one write transaction:
/// SQLite's single writer makes the check hold; the partial unique index `experiments_one_running` backs it.
public struct ExperimentRepository: ExperimentStoring {
    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Stores a new running experiment.
    /// - Throws: `ExperimentError` `.alreadyExists` for a used id, `.conflict` when the prompt already has a running one.
    public func start(_ experiment: Experiment) throws {
        try writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM experiments WHERE id = ?", arguments: [experiment.id]) == true {
                throw ExperimentError.idTaken(experiment.id)
            }
            if let running = try String.fetchOne(
                db, sql: "SELECT id FROM experiments WHERE prompt_id = ? AND status = 'running'", arguments: [experiment.promptID])
            {
                throw ExperimentError.alreadyRunning(running, promptID: experiment.promptID)
            }
            try db.execute(
                sql: "INSERT INTO experiments (id, prompt_id, status, started_at, document) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    experiment.id, experiment.promptID, experiment.status.rawValue, experiment.startedAt.timeIntervalSince1970,
                    try DocumentCoding.encode(experiment),
                ])
        }
    }

    public func experiment(id: String) throws -> Experiment? {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT document FROM experiments WHERE id = ?", arguments: [id])
                .map { try DocumentCoding.decode(Experiment.self, from: $0) }
        }
    }

    public func list() throws -> [Experiment] {
        try writer.read { db in
            try String.fetchAll(db, sql: "SELECT document FROM experiments ORDER BY started_at DESC, id")
                .map { try DocumentCoding.decode(Experiment.self, from: $0) }
        }
    }

    /// The running experiment on a prompt, which decides the version of its drafts.
    public func running(promptID: String) throws -> Experiment? {
        try writer.read { db in
            try String.fetchOne(
                db, sql: "SELECT document FROM experiments WHERE prompt_id = ? AND status = 'running'", arguments: [promptID]
            ).map { try DocumentCoding.decode(Experiment.self, from: $0) }
        }
    }

    /// Saves a changed experiment (stopped, promoted).
    public func save(_ experiment: Experiment) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE experiments SET status = ?, document = ? WHERE id = ?",
                arguments: [experiment.status.rawValue, try DocumentCoding.encode(experiment), experiment.id])
        }
    }

    /// What happened to each draft made under the experiment: decision, edit distance and thumbs.
    public func outcomes(experimentID: String) throws -> [ExperimentDraftOutcome] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.document AS document,
                      (SELECT COUNT(*) FROM draft_feedback f WHERE f.draft_id = d.id AND f.rating = 'up') AS ups,
                      (SELECT COUNT(*) FROM draft_feedback f WHERE f.draft_id = d.id AND f.rating = 'down') AS downs
                    FROM drafts d WHERE d.experiment_id = ? ORDER BY d.variant, d.id
                    """,
                arguments: [experimentID])
            return try rows.map { row in
                ExperimentDraftOutcome(
                    draft: try DocumentCoding.decode(Draft.self, from: row["document"]), thumbsUp: row["ups"],
                    thumbsDown: row["downs"])
            }
        }
    }
}
