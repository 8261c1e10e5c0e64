import Foundation
import KAMCore
import PostgresNIO

/// Online experiments in a PostgreSQL database (`experiments`), and the outcomes of their drafts (read from `drafts`
/// and `draft_feedback`), as `ExperimentRepository` keeps them in SQLite, shared by every process that opens it.
///
/// SQLite checks and inserts a new experiment under its single writer; here two processes could both check before
/// either inserts, so the unique keys decide: `start` inserts with `ON CONFLICT DO NOTHING` (the primary key, and the
/// partial unique index `experiments_one_running`: one running experiment a prompt). The second of two racing starts
/// waits for the first's commit and inserts nothing; it then reads again (a new statement sees that commit) and
/// throws what SQLite's check throws: `.alreadyExists` for the id, `.conflict` naming the experiment now running.
///
/// For example:
///
///     let experiments = PostgresExperimentStore(store: try await PostgresStore.open(configuration))
///     try experiments.start(experiment)
///     let running = try experiments.running(promptID: experiment.promptID)
public struct PostgresExperimentStore: ExperimentStoring {
    public let store: PostgresStore

    /// How many times `start` tries again when its insert was refused yet nothing it conflicts with is left when it
    /// reads again (the experiment it met was stopped or removed in between).
    static let attempts = 8

    public init(store: PostgresStore) {
        self.store = store
    }

    public func start(_ experiment: Experiment) throws {
        let document = try DocumentCoding.encode(experiment)
        try store.transaction(readOnly: false) { session in
            for _ in 0..<Self.attempts {
                try Self.refuse(session, experiment)
                let inserted = try session.query(
                    """
                    INSERT INTO experiments (id, prompt_id, status, started_at, document)
                    VALUES (\(experiment.id), \(experiment.promptID), \(experiment.status.rawValue),
                        \(experiment.startedAt.timeIntervalSince1970), \(document))
                    ON CONFLICT DO NOTHING
                    """, doing: "storing experiment \(experiment.id)")
                if inserted.metadata.rows == 1 { return }
            }
            throw PostgresStoreError(
                .timeout,
                "experiment \(experiment.id) met \(Self.attempts) others that were gone when read; nothing was stored: "
                    + "try again")
        }
    }

    /// Throws SQLite's error when `experiment`'s id is used or its prompt has a running experiment.
    private static func refuse(_ session: PostgresSession, _ experiment: Experiment) throws {
        if try !session.query(
            "SELECT 1 FROM experiments WHERE id = \(experiment.id)", doing: "checking experiment \(experiment.id)"
        ).rows.isEmpty {
            throw ExperimentError.idTaken(experiment.id)
        }
        if let running = try session.query(
            "SELECT id FROM experiments WHERE prompt_id = \(experiment.promptID) AND status = 'running'",
            doing: "reading the experiment running on \(experiment.promptID)"
        ).rows.first?.decode(String.self) {
            throw ExperimentError.alreadyRunning(running, promptID: experiment.promptID)
        }
    }

    public func experiment(id: String) throws -> Experiment? {
        try experiments("SELECT document FROM experiments WHERE id = \(id)", doing: "reading experiment \(id)").first
    }

    public func list() throws -> [Experiment] {
        try experiments("SELECT document FROM experiments ORDER BY started_at DESC, id", doing: "listing experiments")
    }

    public func running(promptID: String) throws -> Experiment? {
        try experiments(
            "SELECT document FROM experiments WHERE prompt_id = \(promptID) AND status = 'running'",
            doing: "reading the experiment running on \(promptID)"
        ).first
    }

    public func save(_ experiment: Experiment) throws {
        let document = try DocumentCoding.encode(experiment)
        try store.transaction(readOnly: false) { session in
            _ = try session.query(
                """
                UPDATE experiments SET status = \(experiment.status.rawValue), document = \(document)
                WHERE id = \(experiment.id)
                """, doing: "saving experiment \(experiment.id)")
        }
    }

    public func outcomes(experimentID: String) throws -> [ExperimentDraftOutcome] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT d.document,
                  (SELECT COUNT(*) FROM draft_feedback f WHERE f.draft_id = d.id AND f.rating = 'up'),
                  (SELECT COUNT(*) FROM draft_feedback f WHERE f.draft_id = d.id AND f.rating = 'down')
                FROM drafts d WHERE d.experiment_id = \(experimentID) ORDER BY d.variant NULLS FIRST, d.id
                """, doing: "reading the drafts of experiment \(experimentID)"
            ).rows.map { row in
                let (document, ups, downs) = try row.decode((String, Int, Int).self)
                return ExperimentDraftOutcome(
                    draft: try DocumentCoding.decode(Draft.self, from: document), thumbsUp: ups, thumbsDown: downs)
            }
        }
    }

    private func experiments(_ query: PostgresQuery, doing: String) throws -> [Experiment] {
        try store.transaction(readOnly: true) { session in
            try session.query(query, doing: doing).rows.map {
                try DocumentCoding.decode(Experiment.self, from: try $0.decode(String.self))
            }
        }
    }
}
