import Foundation
import GRDB
import KAMCore

/// Evaluation runs and their results in the store: the sink a run writes each result to as it
/// finishes, and what `--resume`, `kam eval compare` and `kam prompts promote --require-eval` read. Ties in time are
/// broken by `rowid`, the order runs were stored (`PostgresEvalRunStore` keeps it in a column of that name).
public struct EvalRunRepository: EvalRunStoring {
    public let writer: any DatabaseWriter
    let now: @Sendable () -> Date

    public init(writer: any DatabaseWriter, now: @escaping @Sendable () -> Date = { Date() }) {
        self.writer = writer
        self.now = now
    }

    /// What a run compared: each variant's prompt version and content hash, model and provider.
    public typealias VariantRecord = EvalVariantRecord

    /// A stored run.
    public typealias Run = EvalRun

    public func createRun(id: String, suite: EvalSuite, variants: [VariantRecord]) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO eval_runs (id, suite, suite_file, prompt_id, started_at, status, variants)
                    VALUES (?, ?, ?, ?, ?, 'running', ?)
                    """,
                arguments: [id, suite.name, suite.file, suite.promptID, now().timeIntervalSince1970, try DocumentCoding.encode(variants)])
        }
    }

    /// Marks a run complete (with its report and gate) or interrupted.
    public func finish(runID: String, report: EvalReport?, interrupted: Bool) throws {
        let document = try report.map { String(decoding: try $0.jsonData(), as: UTF8.self) }
        try writer.write { db in
            try db.execute(
                sql: "UPDATE eval_runs SET status = ?, finished_at = ?, gate_passed = ?, report = ? WHERE id = ?",
                arguments: [
                    interrupted ? "interrupted" : "complete", now().timeIntervalSince1970,
                    interrupted ? nil : report?.gatePassed, document, runID,
                ])
        }
    }

    public func run(id: String) throws -> Run? {
        try writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM eval_runs WHERE id = ?", arguments: [id]).map(Self.run) }
    }

    /// Runs newest first, optionally of one suite.
    public func runs(suite: String? = nil, limit: Int = 50) throws -> [Run] {
        try writer.read { db in
            let rows =
                if let suite {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM eval_runs WHERE suite = ? ORDER BY started_at DESC, rowid DESC LIMIT ?",
                        arguments: [suite, limit])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM eval_runs ORDER BY started_at DESC, rowid DESC LIMIT ?", arguments: [limit])
                }
            return try rows.map(Self.run)
        }
    }

    public func results(runID: String) throws -> [EvalResult] {
        try writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT document FROM eval_results WHERE run_id = ? ORDER BY case_id, variant, repeat_index",
                arguments: [runID]
            ).map { try DocumentCoding.decode(EvalResult.self, from: $0) }
        }
    }

    /// The keys stored for a run.
    public func storedKeys(runID: String) throws -> Set<EvalResultKey> {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT case_id, variant, repeat_index FROM eval_results WHERE run_id = ?", arguments: [runID])
            return Set(rows.map { EvalResultKey(caseID: $0["case_id"], variant: $0["variant"], repeatIndex: $0["repeat_index"]) })
        }
    }

    /// Writes one result.
    public func insert(_ result: EvalResult) throws {
        let document = try DocumentCoding.encode(result)
        let at = now().timeIntervalSince1970
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO eval_results (run_id, case_id, variant, repeat_index, passed, score, recorded_at, document)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [result.runID, result.caseID, result.variant, result.repeatIndex, result.passed, result.score, at, document])
        }
    }

    static func run(_ row: Row) throws -> Run {
        let variants: String = row["variants"]
        let report: String? = row["report"]
        return Run(
            id: row["id"], suite: row["suite"], suiteFile: row["suite_file"], promptID: row["prompt_id"],
            startedAt: Date(timeIntervalSince1970: row["started_at"]),
            finishedAt: (row["finished_at"] as Double?).map { Date(timeIntervalSince1970: $0) }, status: row["status"],
            gatePassed: row["gate_passed"], variants: try DocumentCoding.decode([VariantRecord].self, from: variants),
            report: try report.map { try EvalReport.decode(Data($0.utf8)) })
    }
}
