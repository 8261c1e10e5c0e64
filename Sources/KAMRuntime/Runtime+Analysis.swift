extension Runtime {
    /// A client's needs analysis and client intelligence, run through the shipped prompts.
    public var analyses: AnalysisService { AnalysisService(runtime: self) }
}
