import Foundation
import KAMCore
import KAMStore
import KAMTesting

/// `kam-bench store-generate [PATH]` and `kam-bench import [ACTIVITIES | csv ... | lock ...]`: the client store at scale.
enum StoreBench {
    static let generate = Benchmark(
        name: "store-generate",
        summary: "Generate (or reuse) the 10k-client / 1M-activity store, then time snapshots and client resolution"
    ) { arguments in
        let path = arguments.first ?? "/tmp/kam-bench.sqlite"
        let (store, summary) = try SyntheticStore.generate(path: path)
        var results: [BenchResult] = []
        if summary.generated {
            results.append(BenchResult(benchmark: "store-generate", metric: "generate", value: summary.seconds, unit: "s"))
            results.append(
                BenchResult(
                    benchmark: "store-generate", metric: "activity-write-rate",
                    value: Double(summary.counts.activities) / summary.seconds, unit: "activities/s",
                    n: summary.counts.activities))
        }
        let windowStart = SyntheticStore.Configuration().now.addingTimeInterval(-30 * 86_400)
        var random = SystemRandomNumberGenerator()
        var snapshotTimes: [Double] = []
        var activities = 0
        for _ in 0..<2_000 {
            let id = summary.clientIDs.randomElement(using: &random)!
            let start = now()
            let snapshot = try store.snapshot(clientID: id, activitiesSince: windowStart)
            snapshotTimes.append((now() - start) * 1000)
            activities += snapshot?.activities.count ?? 0
        }
        snapshotTimes.sort()
        results.append(
            BenchResult(
                benchmark: "store-generate", metric: "snapshot-30d", value: snapshotTimes.reduce(0, +) / Double(snapshotTimes.count),
                unit: "ms", p50: percentile(snapshotTimes, 50), p99: percentile(snapshotTimes, 99), n: snapshotTimes.count))
        var resolveTimes: [Double] = []
        for index in 0..<200 {
            let query = index % 2 == 0 ? summary.clientIDs.randomElement(using: &random)! : "Apex Blue Labz \(index)"
            let start = now()
            _ = try store.resolveClient(query)
            resolveTimes.append((now() - start) * 1000)
        }
        resolveTimes.sort()
        results.append(
            BenchResult(
                benchmark: "store-generate", metric: "resolve-client (half exact, half fuzzy)",
                value: resolveTimes.reduce(0, +) / Double(resolveTimes.count), unit: "ms",
                p50: percentile(resolveTimes, 50), p99: percentile(resolveTimes, 99), n: resolveTimes.count))
        return results
    }

    static let importRate = Benchmark(
        name: "import",
        summary: "Import rate of a synthetic JSON document into a fresh WAL file (activities/s; target >= 50,000/s); "
            + "`import csv [ROWS...]`: workbench CSVs, rows/s and peak memory; `import lock [ROWS] [WRITES]`: short writes during one; "
            + "`--postgres URL`: the document and CSV imports into PostgreSQL too"
    ) { allArguments in
        let (postgresURL, arguments) = PostgresImportBench.server(in: allArguments)
        switch arguments.first {
        case "csv": return try await CSVImportBench.run(Array(arguments.dropFirst()), postgresURL: postgresURL)
        case "lock": return try CSVImportBench.lock(Array(arguments.dropFirst()))
        default: break
        }
        let activityCount = arguments.first.flatMap(Int.init) ?? 200_000
        let document = syntheticDocument(activities: activityCount)
        let data = try document.encoded()
        let path = "/tmp/kam-bench-import.sqlite"
        func fresh() throws -> ClientStore {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            return try ClientStore.open(path: path)
        }
        var results: [BenchResult] = []

        var store = try fresh()
        var start = now()
        var summary = try ClientImporter(store: store).importDocument(document, file: "bench")
        var seconds = now() - start
        precondition(summary.activities.created == activityCount)
        results.append(
            BenchResult(
                benchmark: "import", metric: "store-write (parsed document)", value: Double(activityCount) / seconds,
                unit: "activities/s", n: activityCount))

        start = now()
        summary = try ClientImporter(store: store).importDocument(document, file: "bench")
        seconds = now() - start
        precondition(summary.activities.updated == activityCount)
        results.append(
            BenchResult(
                benchmark: "import", metric: "re-import (all updates)", value: Double(activityCount) / seconds,
                unit: "activities/s", n: activityCount))

        store = try fresh()
        start = now()
        summary = try ClientImporter(store: store).importJSON(data, file: "bench.json")
        seconds = now() - start
        precondition(summary.activities.created == activityCount)
        results.append(
            BenchResult(
                benchmark: "import", metric: "json end-to-end (decode + write, \(data.count / 1_000_000) MB)",
                value: Double(activityCount) / seconds, unit: "activities/s", n: activityCount))
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        if let postgresURL {
            results += try await PostgresImportBench.document(document, activities: activityCount, url: postgresURL)
        }
        return results
    }

    /// 1 client per 200 activities, each with 3 contacts, 5 deals, 10 tasks, 2 orders and 2 memory items.
    static func syntheticDocument(activities: Int) -> ImportDocument {
        let base = Date(timeIntervalSince1970: 1_767_225_600)
        let clients = max(1, activities / 200)
        var document = ImportDocument(users: [.init(id: "owner", name: "Owner", email: "owner@kam.example")])
        for index in 0..<clients {
            let id = "bench-\(index)"
            let count = index == clients - 1 ? activities - 200 * (clients - 1) : 200
            document.clients.append(
                .init(
                    id: id, name: "Bench Client \(index)", externalID: "bench:\(index)", owner: "owner", domain: "\(id).example",
                    contacts: (0..<3).map { .init(id: "bench:\(index):c\($0)", name: "Person \($0)", email: "p\($0)@\(id).example") },
                    activities: (0..<count).map { n in
                        .init(
                            id: "bench:\(index):a\(n)", kind: ActivityKind.allCases[n % 5],
                            occurredAt: base.addingTimeInterval(-Double(n) * 3_600), subject: "Subject \(n)",
                            body: "Body of activity \(n) for \(id): the client asked about pricing and delivery dates.",
                            sentiment: Double(n % 21 - 10) / 10, contact: "bench:\(index):c\(n % 3)")
                    },
                    deals: (0..<5).map {
                        .init(id: "bench:\(index):d\($0)", name: "Deal \($0)", stage: .proposal, amount: 10_000,
                              stageEnteredAt: base.addingTimeInterval(-Double($0) * 86_400))
                    },
                    tasks: (0..<10).map { .init(id: "bench:\(index):t\($0)", title: "Task \($0)", due: base) },
                    orders: (0..<2).map { .init(id: "bench:\(index):o\($0)", product: "Product", amount: 100, orderedAt: base) },
                    memory: [.init(key: "k1", value: "Fact one"), .init(key: "k2", kind: .preference, value: "Prefers email")]))
        }
        return document
    }
}
