/// Every benchmark `kam-bench` knows. Add one line per benchmark file.
let allBenchmarks: [Benchmark] = [
    TokensBench.benchmark,
    ValidateBench.benchmark,
    RegexBench.benchmark,
    AnonymizeBench.speed, AnonymizeBench.accuracy,
    StoreBench.generate, StoreBench.importRate,
    ContextBench.benchmark,
    ProvidersBench.benchmark,
    RenderBench.benchmark,
    LedgerBench.benchmark,
    EvalBench.benchmark,
    ExportBench.benchmark,
    SuggestBench.benchmark,
    EmailIdentifyBench.benchmark,
    ServeBench.benchmark,
    WebBench.benchmark,
    RulesBench.benchmark,
]
