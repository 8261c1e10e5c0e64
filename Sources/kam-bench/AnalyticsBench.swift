import Foundation
import GRDB
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting

/// `kam-bench analytics [RUNS] [PATH]`: analytics trends (`kam analytics trends`, `GET /analytics/trends`) over two years
/// of daily snapshots of the 10k-client synthetic store: one real day's snapshot taken (and timed), then 730 days of
/// rows for its 20 owners (every metric and dimension value, about 560 rows a day, written once into the generated
/// store), and each trend read and computed through `AnalyticsService` as an admin (every owner), p50/p99 over RUNS
/// (default 20). Target (#18 item 5): < 50 ms.
enum AnalyticsBench {
    static let benchmark = Benchmark(
        name: "analytics",
        summary: "Analytics trends over 2 years of daily snapshots of the 10k-client store: p50/p99 per trend (target < 50 ms)"
    ) { arguments in
        let runs = arguments.first.flatMap(Int.init) ?? 20
        let path = arguments.dropFirst().first ?? "/tmp/kam-bench.sqlite"
        let (store, _) = try SyntheticStore.generate(path: path)
        let asOf = SyntheticStore.Configuration().now
        let runtime = try await Runtime.open(
            RuntimeOptions(configuration: KAMConfiguration(), environment: [:], now: { asOf }), store: store)
        let today = AnalyticsDay(containing: asOf)
        var results: [BenchResult] = []

        // A real day of the store, as the daily job takes it.
        results.append(
            try await timed(runs: 3) { "snapshot of one day (\($0) rows: read facts + compute + replace)" } body: {
                try await runtime.analytics.snapshot(day: today.previous, as: .anonymous).rows
            })

        let days = (2...731).map { today.adding(days: -$0) }
        try fill(store, days: days)
        let since = days.last!
        let trends: [(String, TrendGrouping)] = [
            ("pipeline.value", .week), ("health.clients", .month), ("deals.win-rate", .week), ("ai.cost", .owner),
            ("pipeline.deals", .owner),
        ]
        for (metric, grouping) in trends {
            results.append(
                try await timed(runs: runs) { "trends \(metric) by \(grouping.rawValue), 2 years (\($0) points)" } body: {
                    try runtime.analytics.trends(metric: metric, since: since, by: grouping, as: .anonymous).points.count
                })
        }
        return results
    }

    /// `body` run `runs` times (at least once), its milliseconds as one result named by `metric` of its last count.
    static func timed(runs: Int, metric: (Int) -> String, body: () async throws -> Int) async throws -> BenchResult {
        var times: [Double] = []
        var count = 0
        for _ in 0..<max(1, runs) {
            let start = now()
            count = try await body()
            times.append((now() - start) * 1000)
        }
        times.sort()
        return BenchResult(
            benchmark: "analytics", metric: metric(count), value: times.reduce(0, +) / Double(times.count), unit: "ms",
            p50: percentile(times, 50), p99: percentile(times, 99), n: times.count)
    }

    /// Two years of rows for every owner of the store (deterministic), unless a run before wrote them.
    static func fill(_ store: ClientStore, days: [AnalyticsDay]) throws {
        let snapshots = SnapshotRepository(writer: store.writer)
        guard try snapshots.days(from: days.last!, to: days.first!).count < days.count else { return }
        let owners = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT id FROM users ORDER BY id") }
        let dimensions: [SnapshotMetric: [String]] = [
            .healthClients: HealthBand.allCases.map(\.rawValue),
            .pipelineDeals: DealStage.allCases.filter(\.isOpen).map(\.rawValue),
            .pipelineValue: DealStage.allCases.filter(\.isOpen).map(\.rawValue),
            .ticketsOpened: TicketPriority.allCases.map(\.rawValue),
        ]
        for (dayIndex, day) in days.enumerated() {
            var rows: [SnapshotRow] = []
            for (ownerIndex, owner) in owners.enumerated() {
                for metric in SnapshotMetric.allCases {
                    for dimension in dimensions[metric] ?? [""] {
                        let value = Double((dayIndex * 7 + ownerIndex * 13 + dimension.count * 3) % 50)
                        rows.append(SnapshotRow(day: day, metric: metric.rawValue, owner: owner, dimension: dimension, value: value))
                    }
                }
            }
            try snapshots.replace(day: day, with: rows, takenAt: day.end)
        }
    }
}
