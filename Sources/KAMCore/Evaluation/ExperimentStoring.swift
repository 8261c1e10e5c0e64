/// The online experiments (`experiments`) and the outcomes of their drafts: `KAMStore.ExperimentRepository` on SQLite,
/// `KAMPostgres.PostgresExperimentStore` on PostgreSQL; `ExperimentService` reaches them through
/// `Runtime.experimentStore`.
///
/// Every implementation holds across processes sharing its database: a prompt has at most one running experiment
/// (of two processes starting one on the same prompt at once, exactly one does and the other gets `.conflict`), and
/// an id is used once (`.alreadyExists`), so a draft's variant is never ambiguous.
///
/// For example:
/// ```swift
/// try experiments.start(experiment)
/// let running = try experiments.running(promptID: "draft.follow-up-email")   // decides a draft's variant
/// ```
public protocol ExperimentStoring: RunningExperimentLookup {
    /// Stores a new running experiment.
    /// - Throws: `ExperimentError` `.alreadyExists` for a used id, `.conflict` when the prompt already has a running one.
    func start(_ experiment: Experiment) throws

    /// The experiment `id`, nil when there is none.
    func experiment(id: String) throws -> Experiment?

    /// Every experiment, the newest started first (then by id).
    func list() throws -> [Experiment]

    /// Saves a changed experiment (stopped, promoted).
    func save(_ experiment: Experiment) throws

    /// What happened to each draft made under the experiment (decision, edit distance and thumbs), by variant, then
    /// draft id.
    func outcomes(experimentID: String) throws -> [ExperimentDraftOutcome]
}
