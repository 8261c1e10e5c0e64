import Foundation
import KAMCore
import KAMResources
import KAMRuntime
import KAMStore
import KAMTesting

/// `kam-bench rules [PATH]`: the rules engine over the 10k-client store, with the shipped rules.
///
/// - full pass: the rules on `health-recompute`'s schedule (expansion opportunity, engagement drop, renewal risk)
///   evaluated for every client, each client's facts read from its snapshot, matches executed and logged;
/// - incremental pass: 20 new `health.changed` events (20 clients), then the consumer `rules` catching up;
/// - throughput: 10,000 new `health.changed` events (each starts four rules, each needs its client's facts),
///   then the consumer catching up, in events a second.
/// Runs on a copy of the synthetic store. Targets: full < 5 s, incremental < 200 ms, ≥ 5,000 events/s.
enum RulesBench {
    static let benchmark = Benchmark(
        name: "rules",
        summary: "The rules engine over the 10k store: full pass < 5 s, incremental < 200 ms, >= 5,000 events/s"
    ) { arguments in
        let path = arguments.first ?? "/tmp/kam-bench.sqlite"
        let (original, summary) = try SyntheticStore.generate(path: path)
        let copy = NSTemporaryDirectory() + "kam-bench-rules-\(getpid()).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) } }
        try original.copy(to: copy)
        let asOf = SyntheticStore.Configuration().now
        let store = try ClientStore.open(path: copy, now: { asOf })
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: .embeddedDefaults, rulesDirectory: "/nonexistent/kam-bench-rules", environment: [:],
                now: { asOf }),
            store: store)
        let events = EventRepository(store: store)
        // Only the events the benchmark appends: the consumer starts at the end of the log.
        _ = try events.cursor(of: "rules", now: asOf)
        try events.advance("rules", to: try events.lastID(), now: asOf)

        let fullStart = now()
        let fired = try await runtime.rules.runScheduled(.healthRecompute, slot: asOf)
        let full = now() - fullStart

        // The full pass's own writes (notifications, suggestions) are events too: handled before the incremental pass.
        let afterFull = try await runtime.rules.catchUp()
        let health = HealthRepository(store: store)
        func appendScores(_ clients: ArraySlice<String>, score: (Int) -> Int) throws {
            for (n, client) in clients.enumerated() {
                try health.record(HealthScore(clientID: client, score: score(n), factors: [], computedAt: asOf))
            }
        }
        try appendScores(summary.clientIDs.prefix(20)) { 40 + $0 }
        let incrementalStart = now()
        let incrementalEvents = try await runtime.rules.catchUp()
        let incremental = now() - incrementalStart

        let many = summary.clientIDs.count >= 10_000 ? summary.clientIDs[0..<10_000] : summary.clientIDs[...]
        try appendScores(many) { 30 + ($0 * 7) % 70 }
        let throughputStart = now()
        let handled = try await runtime.rules.catchUp()
        let throughput = now() - throughputStart
        let logged = try await store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rule_executions") ?? 0 }
        return [
            BenchResult(benchmark: "rules", metric: "full pass, schedule rules over all clients", value: full, unit: "s", n: summary.clientIDs.count),
            BenchResult(benchmark: "rules", metric: "full pass, rules fired", value: Double(fired), unit: "count"),
            BenchResult(benchmark: "rules", metric: "events the full pass's actions wrote, handled", value: Double(afterFull), unit: "count"),
            BenchResult(benchmark: "rules", metric: "incremental pass, 20 new events", value: incremental * 1000, unit: "ms", n: incrementalEvents),
            BenchResult(benchmark: "rules", metric: "events through the rules", value: Double(handled) / throughput, unit: "events/s", n: handled),
            BenchResult(benchmark: "rules", metric: "executions logged in all", value: Double(logged), unit: "count"),
        ]
    }
}
