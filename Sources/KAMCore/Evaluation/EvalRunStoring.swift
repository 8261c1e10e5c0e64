import Foundation

/// Evaluation runs and their results (`eval_runs`, `eval_results`): `KAMStore.EvalRunRepository` on SQLite,
/// `KAMPostgres.PostgresEvalRunStore` on PostgreSQL. The sink a run writes each result to as it finishes, and what
/// `--resume`, `kam eval compare` and `kam prompts promote --require-eval` read.
///
/// Every implementation holds across processes sharing its database: a result is keyed by (run, case, variant,
/// repeat), so of two processes recording the same key exactly one stores it and the other is refused; a run id is
/// used once.
///
/// For example:
/// ```swift
/// try runs.createRun(id: "run-1", suite: suite, variants: records)
/// try runs.insert(result)                       // as each case finishes
/// try runs.finish(runID: "run-1", report: report, interrupted: false)
/// ```
public protocol EvalRunStoring: EvalResultSink {
    /// Stores a new run of `suite`, `running`, started now; a used id is refused.
    func createRun(id: String, suite: EvalSuite, variants: [EvalVariantRecord]) throws

    /// Marks a run complete (with its report and gate) or interrupted, finished now.
    func finish(runID: String, report: EvalReport?, interrupted: Bool) throws

    /// The run `id`, nil when there is none.
    func run(id: String) throws -> EvalRun?

    /// Runs newest first (then the newest stored), of `suite` only when given; at most `limit`.
    func runs(suite: String?, limit: Int) throws -> [EvalRun]

    /// A run's results, by case, variant and repeat.
    func results(runID: String) throws -> [EvalResult]

    /// The keys stored for a run.
    func storedKeys(runID: String) throws -> Set<EvalResultKey>

    /// Writes one result in its own transaction; a key already stored, or a run that does not exist, is refused.
    func insert(_ result: EvalResult) throws
}

extension EvalRunStoring {
    /// The newest run of a suite that did not complete, which `--resume` continues.
    public func latestUnfinished(suite: String) throws -> EvalRun? {
        try runs(suite: suite, limit: 50).first { $0.status != "complete" }
    }

    /// The newest complete run of a suite whose gate passed with `contentHash` as one of its variants.
    public func passingRun(suite: String, promptID: String, contentHash: String) throws -> EvalRun? {
        try runs(suite: suite, limit: 500).first { run in
            run.status == "complete" && run.gatePassed == true && run.promptID == promptID
                && run.variants.contains { $0.contentHash == contentHash }
        }
    }

    // MARK: EvalResultSink

    public func completedKeys(runID: String) async throws -> Set<EvalResultKey> {
        try storedKeys(runID: runID)
    }

    /// Writes one result in its own transaction (synchronously, so a cancelled run still keeps it).
    public func record(_ result: EvalResult) async throws {
        try insert(result)
    }
}
