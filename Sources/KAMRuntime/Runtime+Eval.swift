import KAMCore
import KAMStore

extension Runtime {
    /// Offline evaluations: run a suite of prompt versions, check, compare and list runs, the promotion gate.
    public var evals: EvalService { EvalService(runtime: self) }
}

extension Runtime {
    /// Prompt refinement (`kam prompts refine`): proposals from the evidence, evaluated against their `from` version.
    public var refinement: PromptRefinementService { PromptRefinementService(runtime: self) }
}
