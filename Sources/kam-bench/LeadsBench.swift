import Foundation
import GRDB
import KAMCore
import KAMStore
import KAMTesting

/// `kam-bench leads [RUNS] [PATH]`: lead statistics (`kam leads stats`, `GET /leads/stats`) on the 10k-client synthetic
/// store with 50,000 deals and five lead moves a client (50,000 transitions, added once to the generated store):
/// reading the leads and computing the statistics, p50/p99 over RUNS (default 20). Target (#18 item 5): < 100 ms.
/// The work is one thread's, so the bench also gives that thread's CPU time a run: on a shared machine the wall
/// clock is the CPU time plus the time other processes held the cores.
enum LeadsBench {
    static let benchmark = Benchmark(
        name: "leads",
        summary: "Lead statistics on the 10k-client store (50k deals, 50k transitions): read + compute p50/p99 (target < 100 ms)"
    ) { arguments in
        let runs = arguments.first.flatMap(Int.init) ?? 20
        let path = arguments.dropFirst().first ?? "/tmp/kam-bench.sqlite"
        let (store, summary) = try SyntheticStore.generate(path: path)
        let asOf = SyntheticStore.Configuration().now
        // Five moves a client along the funnel, a few days apart (deterministic), unless a run before added them.
        let existing = try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM lead_transitions") } ?? 0
        if existing == 0 {
            try store.writer.write { db in
                let statement = try db.makeStatement(
                    sql: "INSERT INTO lead_transitions (client_id, from_status, to_status, automatic, reason, at) VALUES (?, ?, ?, 0, 'bench', ?)")
                let funnel = LeadStatistics.funnel
                for (index, id) in summary.clientIDs.enumerated() {
                    let start = asOf.addingTimeInterval(-Double(200 + index % 150) * 86_400)
                    for step in 0..<5 {
                        let to = step == 4 && index % 3 == 0 ? LeadStatus.lost : funnel[step + 1]
                        try statement.execute(arguments: [
                            id, funnel[step].rawValue, to.rawValue, start.addingTimeInterval(Double(step * (3 + index % 11)) * 86_400).timeIntervalSince1970,
                        ])
                    }
                }
            }
        }
        let repository = HealthRepository(store: store)
        var times: [Double] = []
        var cpuTimes: [Double] = []
        var stats: LeadStatistics?
        for _ in 0..<max(1, runs) {
            let start = now()
            let startCPU = threadCPUSeconds()
            stats = LeadStatistics(try repository.leads(covers: { _ in true }))
            cpuTimes.append((threadCPUSeconds() - startCPU) * 1000)
            times.append((now() - start) * 1000)
        }
        func result(_ metric: String, _ values: [Double]) -> BenchResult {
            let sorted = values.sorted()
            return BenchResult(
                benchmark: "leads", metric: "statistics of \(stats?.leads ?? 0) leads (read + compute), \(metric)",
                value: sorted.reduce(0, +) / Double(sorted.count), unit: "ms", p50: percentile(sorted, 50), p99: percentile(sorted, 99),
                n: sorted.count)
        }
        return [result("wall clock", times), result("the thread's CPU time", cpuTimes)]
    }
}
