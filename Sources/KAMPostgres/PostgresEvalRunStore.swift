import Foundation
import KAMCore
import PostgresNIO

/// Evaluation runs and their results in a PostgreSQL database (`eval_runs`, `eval_results`), as `EvalRunRepository`
/// keeps them in SQLite, shared by every process that opens it; the sink a run writes each result to as it finishes.
///
/// Across processes the keys hold, as on SQLite: a result is one INSERT keyed by (run, case, variant, repeat), so of
/// two processes recording the same key (two resumes of one run) the second waits for the first's commit and is
/// refused by the primary key; a run id is used once. Ties in time are broken by the `rowid` column (the order runs
/// were stored), as SQLite's implicit rowid does.
///
/// For example:
///
///     let runs = PostgresEvalRunStore(store: try await PostgresStore.open(configuration))
///     try runs.createRun(id: "run-1", suite: suite, variants: records)
///     let outcome = try await engine.run(runID: "run-1", sink: runs)
public struct PostgresEvalRunStore: EvalRunStoring {
    public let store: PostgresStore
    let now: @Sendable () -> Date

    public init(store: PostgresStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    public func createRun(id: String, suite: EvalSuite, variants: [EvalVariantRecord]) throws {
        let variants = try DocumentCoding.encode(variants)
        let startedAt = now().timeIntervalSince1970
        try store.transaction(readOnly: false) { session in
            _ = try session.query(
                """
                INSERT INTO eval_runs (id, suite, suite_file, prompt_id, started_at, status, variants)
                VALUES (\(id), \(suite.name), \(suite.file), \(suite.promptID), \(startedAt), 'running', \(variants))
                """, doing: "storing evaluation run \(id)")
        }
    }

    public func finish(runID: String, report: EvalReport?, interrupted: Bool) throws {
        let document = try report.map { String(decoding: try $0.jsonData(), as: UTF8.self) }
        let status = interrupted ? "interrupted" : "complete"
        let gatePassed = interrupted ? nil : report?.gatePassed
        let finishedAt = now().timeIntervalSince1970
        try store.transaction(readOnly: false) { session in
            _ = try session.query(
                """
                UPDATE eval_runs SET status = \(status), finished_at = \(finishedAt), gate_passed = \(gatePassed),
                    report = \(document)
                WHERE id = \(runID)
                """, doing: "finishing evaluation run \(runID)")
        }
    }

    public func run(id: String) throws -> EvalRun? {
        try runs(
            "SELECT \(unescaped: Self.columns) FROM eval_runs WHERE id = \(id)", doing: "reading evaluation run \(id)"
        ).first
    }

    public func runs(suite: String? = nil, limit: Int = 50) throws -> [EvalRun] {
        // SQLite reads a negative LIMIT as no limit; PostgreSQL refuses it (LIMIT NULL is none).
        let limit: Int? = limit < 0 ? nil : limit
        if let suite {
            return try runs(
                """
                SELECT \(unescaped: Self.columns) FROM eval_runs WHERE suite = \(suite)
                ORDER BY started_at DESC, rowid DESC LIMIT \(limit)
                """, doing: "reading the runs of \(suite)")
        }
        return try runs(
            "SELECT \(unescaped: Self.columns) FROM eval_runs ORDER BY started_at DESC, rowid DESC LIMIT \(limit)",
            doing: "reading evaluation runs")
    }

    public func results(runID: String) throws -> [EvalResult] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT document FROM eval_results WHERE run_id = \(runID) ORDER BY case_id, variant, repeat_index
                """, doing: "reading the results of evaluation run \(runID)"
            ).rows.map { try DocumentCoding.decode(EvalResult.self, from: try $0.decode(String.self)) }
        }
    }

    public func storedKeys(runID: String) throws -> Set<EvalResultKey> {
        try store.transaction(readOnly: true) { session in
            Set(
                try session.query(
                    "SELECT case_id, variant, repeat_index FROM eval_results WHERE run_id = \(runID)",
                    doing: "reading the keys of evaluation run \(runID)"
                ).rows.map { row in
                    let (caseID, variant, repeatIndex) = try row.decode((String, String, Int).self)
                    return EvalResultKey(caseID: caseID, variant: variant, repeatIndex: repeatIndex)
                })
        }
    }

    public func insert(_ result: EvalResult) throws {
        let document = try DocumentCoding.encode(result)
        let at = now().timeIntervalSince1970
        try store.transaction(readOnly: false) { session in
            _ = try session.query(
                """
                INSERT INTO eval_results (run_id, case_id, variant, repeat_index, passed, score, recorded_at, document)
                VALUES (\(result.runID), \(result.caseID), \(result.variant), \(result.repeatIndex), \(result.passed),
                    \(result.score), \(at), \(document))
                """, doing: "storing a result of evaluation run \(result.runID)")
        }
    }

    private func runs(_ query: PostgresQuery, doing: String) throws -> [EvalRun] {
        try store.transaction(readOnly: true) { session in
            try session.query(query, doing: doing).rows.map { row in
                let (id, suite, suiteFile, promptID, startedAt, finishedAt, status, gatePassed, variants, report) =
                    try row.decode((String, String, String, String, Double, Double?, String, Bool?, String, String?).self)
                return EvalRun(
                    id: id, suite: suite, suiteFile: suiteFile, promptID: promptID,
                    startedAt: Date(timeIntervalSince1970: startedAt),
                    finishedAt: finishedAt.map(Date.init(timeIntervalSince1970:)), status: status, gatePassed: gatePassed,
                    variants: try DocumentCoding.decode([EvalVariantRecord].self, from: variants),
                    report: try report.map { try EvalReport.decode(Data($0.utf8)) })
            }
        }
    }

    private static let columns =
        "id, suite, suite_file, prompt_id, started_at, finished_at, status, gate_passed, variants, report"
}
