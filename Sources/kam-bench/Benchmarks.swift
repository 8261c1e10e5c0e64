/// Every benchmark `kam-bench` knows. Add one line per benchmark file.
let allBenchmarks: [Benchmark] = [
    TokensBench.benchmark,
    StoreBench.generate, StoreBench.importRate,
]
