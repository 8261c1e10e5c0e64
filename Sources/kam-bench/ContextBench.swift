import Foundation
import KAMCore
import KAMResources
import KAMStore
import KAMTesting

/// `kam-bench context [SAMPLE] [PATH]`: context assembly per client on the 10k-client synthetic store.
///
/// For a fixed sample of clients (2,000 by default, the same every run) it times, per client:
/// - `total`: reading the snapshot from SQLite and assembling (what `kam draft` pays);
/// - `assemble`: assembling a snapshot already read (the pure core's share).
/// Both with the default 30-day window (~8 activities a client) and with a 365-day window that takes
/// every activity (~100 a client), without a budget and with a 1,000-token budget that forces drops.
/// Target: p99 < 5 ms per client. The sample's rows are read once before timing, so every configuration
/// sees the same warm page cache.
enum ContextBench {
    static let benchmark = Benchmark(
        name: "context",
        summary: "Context assembly per client on the 10k-client store: read + assemble and assemble-only p50/p99 (target p99 < 5 ms)"
    ) { arguments in
        let sampleSize = arguments.first.flatMap(Int.init) ?? 2_000
        let path = arguments.dropFirst().first ?? "/tmp/kam-bench.sqlite"
        let (store, summary) = try SyntheticStore.generate(path: path)
        let asOf = SyntheticStore.Configuration().now
        let tokenizer = try Tokenizer(encoding: .o200kBase)
        _ = tokenizer.countTokens("warm up the rank table")

        // The same sample every run: every (clients / sample)-th client.
        let step = max(1, summary.clientIDs.count / max(1, sampleSize))
        let sample = stride(from: 0, to: summary.clientIDs.count, by: step).prefix(sampleSize).map {
            summary.clientIDs[$0]
        }

        // Warm the page cache once (not timed), so the first configuration is not the only one paying
        // for cold disk reads.
        let yearAgo = asOf.addingTimeInterval(-365 * 86_400)
        for id in sample { _ = try store.snapshot(clientID: id, activitiesSince: yearAgo) }

        var results: [BenchResult] = []
        func record(_ metric: String, _ milliseconds: [Double]) {
            let sorted = milliseconds.sorted()
            results.append(
                BenchResult(
                    benchmark: "context", metric: metric, value: sorted.reduce(0, +) / Double(max(1, sorted.count)),
                    unit: "ms", p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.count))
        }

        for (days, budget) in [(30, nil), (365, nil), (365, 1_000)] as [(Int, Int?)] {
            let label = "\(days)d" + (budget.map { "-budget-\($0)" } ?? "")
            let assembler = ContextAssembler(
                tokenCounter: tokenizer, options: ContextAssemblyOptions(activityDays: days, tokenBudget: budget))
            var total: [Double] = []
            var assembleOnly: [Double] = []
            var tokens = 0
            var activities = 0
            var dropped = 0
            total.reserveCapacity(sample.count)
            assembleOnly.reserveCapacity(sample.count)
            for id in sample {
                var start = now()
                let result = try assembler.assemble(clientID: id, from: store, now: asOf)
                total.append((now() - start) * 1_000)
                guard let context = result.context else {
                    throw ContextAssemblyError(
                        code: .budgetTooSmall, message: "benchmark client \(id) did not assemble: \(result)",
                        clientID: id)
                }
                tokens += context.totalTokens
                activities += context.items(.activities).count
                dropped += context.dropped.count

                guard let snapshot = try store.snapshot(clientID: id, activitiesSince: assembler.windowStart(now: asOf))
                else { continue }
                start = now()
                let again = assembler.assemble(snapshot: snapshot, now: asOf)
                assembleOnly.append((now() - start) * 1_000)
                precondition(again.context?.text == context.text, "assembly is not deterministic for \(id)")
            }
            record("total-\(label) (read + assemble)", total)
            record("assemble-\(label)", assembleOnly)
            let count = Double(max(1, sample.count))
            results.append(
                BenchResult(benchmark: "context", metric: "tokens-\(label)", value: Double(tokens) / count, unit: "tokens/client"))
            results.append(
                BenchResult(
                    benchmark: "context", metric: "activities-\(label)", value: Double(activities) / count,
                    unit: "activities/client"))
            if budget != nil {
                results.append(
                    BenchResult(
                        benchmark: "context", metric: "dropped-\(label)", value: Double(dropped) / count,
                        unit: "items/client"))
            }
        }
        return results
    }
}
