import KAMCore
import KAMStore

extension Runtime {
    /// Offline evaluations: run a suite of prompt versions, check, compare and list runs, the promotion gate.
    public var evals: EvalService { EvalService(runtime: self) }

    /// The evaluation runs and their results, in the store's database (`EvalRunRepository`; `PostgresEvalRunStore`
    /// is the same on PostgreSQL).
    var evalRuns: any EvalRunStoring { EvalRunRepository(writer: store.writer, now: now) }

    /// The online experiments, in the store's database (`ExperimentRepository`; `PostgresExperimentStore` is the
    /// same on PostgreSQL).
    var experimentStore: any ExperimentStoring { ExperimentRepository(writer: store.writer) }
}

extension Runtime {
    /// Prompt refinement (`kam prompts refine`): proposals from the evidence, evaluated against their `from` version.
    public var refinement: PromptRefinementService { PromptRefinementService(runtime: self) }
}
