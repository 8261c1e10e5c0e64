import Foundation
import KAMCore
import KAMPostgres
import KAMResources
import KAMRuntime
import KAMStore
import KAMTesting

/// `kam-bench context [SAMPLE] [PATH] [--postgres URL]`: context assembly per client on the 10k-client synthetic store.
///
/// For a fixed sample of clients (2,000 by default, the same every run) it times, per client:
/// - `total`: reading the snapshot from SQLite and assembling (what `kam draft` pays);
/// - `assemble`: assembling a snapshot already read (the pure core's share).
/// Both with the default 30-day window (~8 activities a client) and with a 365-day window that takes
/// every activity (~100 a client), without a budget and with a 1,000-token budget that forces drops.
/// Target: p99 < 5 ms per client. The sample's rows are read once before timing, so every configuration
/// sees the same warm page cache.
///
/// With `--postgres URL` (or `KAM_BENCH_POSTGRES_URL`) the same sample is read from PostgreSQL too
/// (`PostgresClientMemory`), lines `postgres-total-…` and `postgres-snapshot-…`: the store's client memory tables are
/// copied by `StoreCopy` (its client memory tables) into the URL's schema `kam_bench_context` the first time (the copy's rows/s is a line), and
/// reused while it holds as many clients and activities as the SQLite store. Target: p99 < 10 ms.
enum ContextBench {
    static let benchmark = Benchmark(
        name: "context",
        summary: "Context assembly per client on the 10k-client store: read + assemble and assemble-only p50/p99 (target p99 < 5 ms); "
            + "`--postgres URL`: the same read from PostgreSQL (target p99 < 10 ms)"
    ) { rawArguments in
        var arguments = rawArguments
        var postgresURL = ProcessInfo.processInfo.environment["KAM_BENCH_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let flag = arguments.firstIndex(of: "--postgres"), flag + 1 < arguments.count {
            postgresURL = arguments[flag + 1]
            arguments.removeSubrange(flag...(flag + 1))
        }
        let sampleSize = arguments.first.flatMap(Int.init) ?? 2_000
        let path = arguments.dropFirst().first ?? "/tmp/kam-bench.sqlite"
        let (store, summary) = try SyntheticStore.generate(path: path)
        let tokenizer = try Tokenizer(encoding: .o200kBase)
        _ = tokenizer.countTokens("warm up the rank table")

        // The same sample every run: every (clients / sample)-th client.
        let step = max(1, summary.clientIDs.count / max(1, sampleSize))
        let sample = stride(from: 0, to: summary.clientIDs.count, by: step).prefix(sampleSize).map {
            summary.clientIDs[$0]
        }
        var results = try measure(memory: store, label: "", sample: sample, tokenizer: tokenizer)
        if let postgresURL {
            var configuration = try PostgresStoreConfiguration(url: postgresURL)
            configuration.schema = "kam_bench_context"
            let database = try await PostgresStore.open(configuration)
            do {
                results += try fill(database, from: store)
                results += try measure(
                    memory: PostgresClientMemory(store: database), label: "postgres-", sample: sample, tokenizer: tokenizer)
                await database.close()
            } catch {
                await database.close()
                throw error
            }
        }
        return results
    }

    /// Copies the store's client memory into `database` unless it holds it already; the copy's rate when it copies.
    static func fill(_ database: PostgresStore, from store: ClientStore) throws -> [BenchResult] {
        let counts = try store.counts()
        let there = try database.load { try $0.counts(["clients", "activities"]) }
        if there["clients"] == counts.clients && there["activities"] == counts.activities { return [] }
        guard there.values.allSatisfy({ $0 == 0 }) else {
            throw ServeBenchError(
                "schema kam_bench_context of \(database.configuration.labelledURL) holds another store "
                    + "(\(there)); drop it (DROP SCHEMA kam_bench_context CASCADE) and run again")
        }
        let start = now()
        let copied = try StoreCopy.copy(from: store, to: database, only: Set(PostgresSchema.memoryTables))
        let seconds = now() - start
        let rows = copied.rows.values.reduce(0, +)
        return [
            BenchResult(benchmark: "context", metric: "postgres-copy", value: seconds, unit: "s", n: rows),
            BenchResult(benchmark: "context", metric: "postgres-copy-rate", value: Double(rows) / seconds, unit: "rows/s", n: rows),
        ]
    }

    /// The sample's read + assemble and assemble-only times from `memory`, and its snapshot-only times when `label`
    /// names another store than SQLite.
    static func measure(memory: any ClientMemoryReading, label prefix: String, sample: [String], tokenizer: Tokenizer) throws
        -> [BenchResult]
    {
        let asOf = SyntheticStore.Configuration().now
        // Warm the page cache once (not timed), so the first configuration is not the only one paying
        // for cold disk reads.
        let yearAgo = asOf.addingTimeInterval(-365 * 86_400)
        for id in sample { _ = try memory.snapshot(clientID: id, activitiesSince: yearAgo) }

        var results: [BenchResult] = []
        func record(_ metric: String, _ milliseconds: [Double]) {
            let sorted = milliseconds.sorted()
            results.append(
                BenchResult(
                    benchmark: "context", metric: prefix + metric, value: sorted.reduce(0, +) / Double(max(1, sorted.count)),
                    unit: "ms", p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.count))
        }

        for (days, budget) in [(30, nil), (365, nil), (365, 1_000)] as [(Int, Int?)] {
            let label = "\(days)d" + (budget.map { "-budget-\($0)" } ?? "")
            let assembler = ContextAssembler(
                tokenCounter: tokenizer, options: ContextAssemblyOptions(activityDays: days, tokenBudget: budget))
            var total: [Double] = []
            var snapshotOnly: [Double] = []
            var assembleOnly: [Double] = []
            var tokens = 0
            var activities = 0
            var dropped = 0
            total.reserveCapacity(sample.count)
            assembleOnly.reserveCapacity(sample.count)
            for id in sample {
                var start = now()
                let result = try assembler.assemble(clientID: id, from: memory, now: asOf)
                total.append((now() - start) * 1_000)
                guard let context = result.context else {
                    throw ContextAssemblyError(
                        code: .budgetTooSmall, message: "benchmark client \(id) did not assemble: \(result)",
                        clientID: id)
                }
                tokens += context.totalTokens
                activities += context.items(.activities).count
                dropped += context.dropped.count

                start = now()
                guard let snapshot = try memory.snapshot(clientID: id, activitiesSince: assembler.windowStart(now: asOf))
                else { continue }
                snapshotOnly.append((now() - start) * 1_000)
                start = now()
                let again = assembler.assemble(snapshot: snapshot, now: asOf)
                assembleOnly.append((now() - start) * 1_000)
                precondition(again.context?.text == context.text, "assembly is not deterministic for \(id)")
            }
            record("total-\(label) (read + assemble)", total)
            if !prefix.isEmpty {
                record("snapshot-\(label)", snapshotOnly)
            } else {
                record("assemble-\(label)", assembleOnly)
            }
            let count = Double(max(1, sample.count))
            results.append(
                BenchResult(
                    benchmark: "context", metric: prefix + "tokens-\(label)", value: Double(tokens) / count,
                    unit: "tokens/client"))
            results.append(
                BenchResult(
                    benchmark: "context", metric: prefix + "activities-\(label)", value: Double(activities) / count,
                    unit: "activities/client"))
            if budget != nil {
                results.append(
                    BenchResult(
                        benchmark: "context", metric: prefix + "dropped-\(label)", value: Double(dropped) / count,
                        unit: "items/client"))
            }
        }
        return results
    }
}
