import Foundation
import KAMCore
import KAMResources
import KAMStore
import KAMTesting

/// `kam-bench export [DRAFTS]`: generates DRAFTS approved drafts (default 100,000) in a temporary
/// SQLite store, then exports them as openai-chat with a 0.9 split, and reports drafts per second
/// and the peak resident memory of the process (VmHWM; target under 200 MB at 1,000,000 drafts).
enum ExportBench {
    static let benchmark = Benchmark(
        name: "export",
        summary: "kam export: drafts/s and peak RSS, streaming N approved drafts (default 100,000; target < 200 MB at 1,000,000)"
    ) { arguments in
        let count = arguments.first.flatMap(Int.init) ?? 100_000
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kam-bench-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try ClientStore.open(path: folder.appendingPathComponent("kam.sqlite").path)
        let g0 = now()
        _ = try SyntheticApprovedDrafts.generate(count: count, into: store)
        let generation = now() - g0
        let afterGeneration = peakResidentMegabytes()
        let session = try AnonymizationSession(key: Array("kam-bench export key, 32 bytes..".utf8))
        let exporter = TrainingExporter(store: store, prices: try PriceTable.bundled())
        let t0 = now()
        let report = try exporter.run(
            .init(format: .openAIChat, outputDirectory: folder.appendingPathComponent("out").path,
                  filters: ExportFilters(split: DatasetSplit(trainFraction: 0.9, seed: 1))),
            session: session)
        let elapsed = now() - t0
        guard report.committed else { throw ExportError(.leakDetected, "the benchmark export failed its leak audit:\n\(report.summary)") }
        return [
            BenchResult(benchmark: "export", metric: "generate drafts", value: Double(count) / generation, unit: "drafts/s", n: count),
            BenchResult(benchmark: "export", metric: "export rate", value: Double(report.draftsRead) / elapsed, unit: "drafts/s", n: report.draftsRead),
            BenchResult(benchmark: "export", metric: "examples written", value: Double(report.examplesWritten), unit: "examples"),
            BenchResult(benchmark: "export", metric: "consent excluded", value: Double(report.consentExcluded.reduce(0) { $0 + $1.drafts }), unit: "drafts"),
            BenchResult(benchmark: "export", metric: "tokens per example p50", value: Double(report.tokens.p50), unit: "tokens"),
            BenchResult(benchmark: "export", metric: "peak RSS after generation", value: afterGeneration, unit: "MB"),
            BenchResult(benchmark: "export", metric: "peak RSS", value: peakResidentMegabytes(), unit: "MB", n: count),
        ]
    }

    /// VmHWM of /proc/self/status in MB (0 where there is no /proc).
    static func peakResidentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kB = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kB / 1024
        }
        return 0
    }
}
