import Foundation
import KAMCore
import KAMStore
import KAMTesting

/// `kam-bench suggest [PATH]`: the suggestion rules over every client of the 10k-client store.
///
/// The pass reads each client's snapshot, scores health (kept in history) and the lead, applies the
/// automatic lead moves, runs the rules and stores the new suggestions — everything `kam suggest run
/// --all` does. It runs on a copy of the synthetic store so the shared file stays unchanged.
/// Target: under 10 s for all clients.
enum SuggestBench {
    static let benchmark = Benchmark(
        name: "suggest",
        summary: "Suggestion rules over all 10,000 clients of the synthetic store (target < 10 s)"
    ) { arguments in
        let path = arguments.first ?? "/tmp/kam-bench.sqlite"
        let (original, summary) = try SyntheticStore.generate(path: path)
        let copy = NSTemporaryDirectory() + "kam-bench-suggest-\(getpid()).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) } }
        try original.copy(to: copy)
        let asOf = SyntheticStore.Configuration().now
        let store = try ClientStore.open(path: copy, now: { asOf })
        var counter = 0
        let start = now()
        let outcomes = try SuggestionPass(memory: store, health: HealthRepository(store: store), suggestions: SuggestionRepository(store: store)).run(clientIDs: summary.clientIDs, now: asOf) {
            counter += 1
            return "s-bench-\(counter)"
        }
        let seconds = now() - start
        let added = outcomes.reduce(0) { $0 + $1.added.count }
        let second = now()
        let again = try SuggestionPass(memory: store, health: HealthRepository(store: store), suggestions: SuggestionRepository(store: store)).run(clientIDs: summary.clientIDs, now: asOf) {
            counter += 1
            return "s-bench-\(counter)"
        }
        let secondSeconds = now() - second
        return [
            BenchResult(benchmark: "suggest", metric: "all clients, first pass", value: seconds, unit: "s", n: outcomes.count),
            BenchResult(benchmark: "suggest", metric: "suggestions stored", value: Double(added), unit: "count"),
            BenchResult(
                benchmark: "suggest", metric: "all clients, second pass (all duplicates)", value: secondSeconds,
                unit: "s", n: again.count),
            BenchResult(
                benchmark: "suggest", metric: "duplicates stored by the second pass",
                value: Double(again.reduce(0) { $0 + $1.added.count }), unit: "count"),
        ]
    }
}
