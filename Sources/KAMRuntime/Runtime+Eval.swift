extension Runtime {
    /// Offline evaluations: run a suite of prompt versions, check, compare and list runs, the promotion gate.
    public var evals: EvalService { EvalService(runtime: self) }
}
