import Foundation
import KAMCore
import KAMStore
import KAMTesting

/// `kam-bench import csv [ROWS...]` and `kam-bench import lock [ROWS] [WRITES]`: the CSV import at
/// scale (rows/s and peak memory, rows of one client or spread), and short writes during a large one.
enum CSVImportBench {
    /// Imports generated workbench files of each size, all rows one client and spread over clients
    /// (one client per 10 rows, and one per row), each into a fresh WAL file. Words among the
    /// arguments pick spreads, for profiling one: `one-client`, `10-a-client`, `one-a-client`.
    /// With `postgresURL`, each file is imported into a fresh PostgreSQL schema too (`PostgresImportBench.csv`).
    static func run(_ arguments: [String], postgresURL: String? = nil) async throws -> [BenchResult] {
        let sizes = arguments.compactMap(Int.init)
        let picked = Set(arguments.filter { Int($0) == nil })
        var results: [BenchResult] = []
        // A small import first, so that the first measured one does not pay for the process's first
        // use of the code and the allocator (pages touched once per process, not per import).
        _ = try importOnce(WorkbenchCSV(rows: 2_000, companies: 200), label: "warm-up")
        for rows in sizes.isEmpty ? [10_000, 50_000, 200_000] : sizes {
            let spreads = [
                ("one client", "one-client", 1), ("10 rows a client", "10-a-client", max(1, rows / 10)),
                ("one row a client", "one-a-client", rows),
            ]
            for (spread, word, companies) in spreads where picked.isEmpty || picked.contains(word) {
                let csv = WorkbenchCSV(rows: rows, companies: companies)
                results += try importOnce(csv, label: "\(rows) rows, \(spread)")
                if let postgresURL { results += try await PostgresImportBench.csv(csv, label: "\(rows) rows, \(spread)", url: postgresURL) }
            }
        }
        return results
    }

    /// One import of `csv` from a file: rows/s, and peak RSS above the RSS before it, against the file's size.
    static func importOnce(_ csv: WorkbenchCSV, label: String) throws -> [BenchResult] {
        let file = "/tmp/kam-bench-import.csv"
        let database = "/tmp/kam-bench-import-csv.sqlite"
        try Data(csv.text.utf8).write(to: URL(fileURLWithPath: file))
        defer { removeDatabase(database) }
        removeDatabase(database)
        let fileSize = Double((try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        let store = try ClientStore.open(path: database)
        _ = try CompanyDomains.bundled()  // loaded once per process, not part of any one import
        Memory.resetPeak()
        let before = Memory.residentBytes()
        let start = now()
        let startCPU = threadCPUSeconds()
        let startProcessCPU = processCPUSeconds()
        let summary = try ClientImporter(store: store).importFile(at: file, mapping: .workbench)
        let seconds = now() - start
        let cpu = threadCPUSeconds() - startCPU
        let processCPU = processCPUSeconds() - startProcessCPU
        let peak = Memory.peakResidentBytes() - before
        precondition(summary.contacts.created == csv.rows, "imported \(summary.contacts.created) of \(csv.rows) rows")
        try? FileManager.default.removeItem(atPath: file)
        return [
            BenchResult(benchmark: "import", metric: "csv \(label)", value: Double(csv.rows) / seconds, unit: "rows/s", n: csv.rows),
            // The importing thread plans the file and then writes it (a second thread reads and checks the rows for both
            // passes): its CPU time is the import's critical path, and steadier than the wall clock on a shared machine.
            BenchResult(
                benchmark: "import", metric: "csv \(label): rows per CPU second of the writing thread", value: Double(csv.rows) / cpu,
                unit: "rows/s", n: csv.rows),
            // All threads' CPU time: what the import costs a machine whose cores are all busy.
            BenchResult(
                benchmark: "import", metric: "csv \(label): rows per CPU second of the process", value: Double(csv.rows) / processCPU,
                unit: "rows/s", n: csv.rows),
            BenchResult(
                benchmark: "import", metric: "csv \(label): peak RSS growth / file size (\(Int(fileSize / 1_000_000)) MB)",
                value: peak / max(fileSize, 1), unit: "x", n: csv.rows),
        ]
    }

    /// Short writes (`remember`, each on its own connection as separate `kam` processes have) while
    /// a large CSV import runs: how many fail, and how long the slowest waited.
    static func lock(_ arguments: [String]) throws -> [BenchResult] {
        let rows = arguments.first.flatMap(Int.init) ?? 100_000
        let writes = arguments.dropFirst().first.flatMap(Int.init) ?? 150
        let database = "/tmp/kam-bench-import-lock.sqlite"
        removeDatabase(database)
        defer { removeDatabase(database) }
        let store = try ClientStore.open(path: database)
        try store.upsertClient(Client(id: "acme", name: "Acme", createdAt: Date()))
        let bytes = Array(WorkbenchCSV(rows: rows, companies: max(1, rows / 10)).text.utf8)
        let state = LockState()
        let group = DispatchGroup()
        group.enter()
        let importStart = now()
        Thread.detachNewThread {
            do {
                _ = try ClientImporter(store: store).importCSV(bytes: bytes, file: "lock.csv", mapping: .workbench)
            } catch {
                state.record(failure: "import: \(error)")
            }
            state.record(importSeconds: now() - importStart)
            group.leave()
        }
        // Spread the writes over the import: one every 20 ms from the start.
        for index in 0..<writes {
            Thread.sleep(forTimeInterval: 0.02)
            group.enter()
            Thread.detachNewThread {
                let start = now()
                do {
                    let own = try ClientStore.open(path: database)
                    try own.remember(clientID: "acme", text: "fact \(index)", key: "fact-\(index)")
                    state.record(wait: now() - start)
                } catch {
                    state.record(failure: ClientStore.busyError(error, path: database)?.message ?? "\(error)")
                }
                group.leave()
            }
        }
        group.wait()
        let (failures, waits, importSeconds) = state.snapshot()
        for failure in failures.prefix(3) { FileHandle.standardError.write(Data("failure: \(failure)\n".utf8)) }
        let sorted = waits.sorted()
        return [
            BenchResult(benchmark: "import", metric: "lock: import of \(rows) rows", value: importSeconds, unit: "s", n: rows),
            BenchResult(
                benchmark: "import", metric: "lock: remember calls failed of \(writes)", value: Double(failures.count), unit: "failures",
                n: writes),
            BenchResult(
                benchmark: "import", metric: "lock: remember wait (ms)", value: (sorted.last ?? 0) * 1000, unit: "ms max",
                p50: percentile(sorted, 50) * 1000, p99: percentile(sorted, 99) * 1000, n: sorted.count),
        ]
    }

    private final class LockState: @unchecked Sendable {
        private let lock = NSLock()
        private var failures: [String] = []
        private var waits: [Double] = []
        private var importSeconds = 0.0

        func record(failure: String) { lock.withLock { failures.append(failure) } }
        func record(wait: Double) { lock.withLock { waits.append(wait) } }
        func record(importSeconds: Double) { lock.withLock { self.importSeconds = importSeconds } }
        func snapshot() -> ([String], [Double], Double) { lock.withLock { (failures, waits, importSeconds) } }
    }

    static func removeDatabase(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-writer"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

/// CPU time of the calling thread, in seconds.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// CPU time of the whole process (every thread, user and system), in seconds.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The process's resident memory, from Linux's `/proc/self/status`.
enum Memory {
    static func residentBytes() -> Double { field("VmRSS:") }
    static func peakResidentBytes() -> Double { field("VmHWM:") }

    /// Starts a new peak (writing 5 to `/proc/self/clear_refs` resets VmHWM to the current RSS).
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    private static func field(_ name: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) })
        else { return .nan }
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? .nan
        return kilobytes * 1024
    }
}
