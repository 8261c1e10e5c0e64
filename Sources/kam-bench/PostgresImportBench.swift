import Foundation
import KAMCore
import KAMPostgres
import KAMStore
import KAMTesting

/// The client imports of `kam-bench import` on PostgreSQL (issue #17 item 7, beside SQLite's lines): the same parsed
/// document and the same workbench CSV files, through the same `ClientImporter`, into a schema of their own
/// (`PostgresImportTarget`: one transaction under the imports' advisory lock).
///
/// Each import gets a fresh schema, `kam_bench_import_PID_N`, dropped afterwards with `psql` (the bench has no SQL of
/// its own to run, and KAM no command that drops a schema); without `psql` on the PATH the schemas stay, and their names
/// are printed.
///
/// For example:
///
///     kam-bench import 200000 --postgres "$URL"        # activities/s: SQLite, then PostgreSQL
///     kam-bench import csv 20000 one-a-client --postgres "$URL"
enum PostgresImportBench {
    /// The PostgreSQL server `arguments` name (`--postgres URL`, else `KAM_BENCH_POSTGRES_URL`), and the arguments
    /// without the flag.
    static func server(in arguments: [String]) -> (url: String?, rest: [String]) {
        var rest = arguments
        var url = ProcessInfo.processInfo.environment["KAM_BENCH_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let flag = rest.firstIndex(of: "--postgres"), flag + 1 < rest.count {
            url = rest[flag + 1]
            rest.removeSubrange(flag...(flag + 1))
        }
        return (url, rest)
    }

    /// `document` imported into a fresh schema, then imported again (every record an update): activities/s of each.
    static func document(_ document: ImportDocument, activities: Int, url: String) async throws -> [BenchResult] {
        try await withFreshSchema(url: url) { database in
            let importer = ClientImporter(target: PostgresImportTarget(store: database))
            var start = now()
            var summary = try importer.importDocument(document, file: "bench")
            let created = now() - start
            precondition(summary.activities.created == activities, "created \(summary.activities.created) of \(activities)")
            start = now()
            summary = try importer.importDocument(document, file: "bench")
            let updated = now() - start
            precondition(summary.activities.updated == activities, "updated \(summary.activities.updated) of \(activities)")
            return [
                BenchResult(
                    benchmark: "import", metric: "postgres store-write (parsed document)", value: Double(activities) / created,
                    unit: "activities/s", n: activities),
                BenchResult(
                    benchmark: "import", metric: "postgres re-import (all updates)", value: Double(activities) / updated,
                    unit: "activities/s", n: activities),
            ]
        }
    }

    /// The workbench file `csv` imported from a file into a fresh schema: rows/s (wall clock, file to commit).
    static func csv(_ csv: WorkbenchCSV, label: String, url: String) async throws -> [BenchResult] {
        let file = "/tmp/kam-bench-import-postgres.csv"
        try Data(csv.text.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try await withFreshSchema(url: url) { database in
            let start = now()
            let summary = try ClientImporter(target: PostgresImportTarget(store: database)).importFile(at: file, mapping: .workbench)
            let seconds = now() - start
            precondition(summary.contacts.created == csv.rows, "imported \(summary.contacts.created) of \(csv.rows) rows")
            return [
                BenchResult(
                    benchmark: "import", metric: "csv postgres \(label)", value: Double(csv.rows) / seconds, unit: "rows/s",
                    n: csv.rows)
            ]
        }
    }

    private nonisolated(unsafe) static var schemas = 0

    /// Runs `body` on a new schema of the server at `url`, closed and dropped whatever happens.
    private static func withFreshSchema(url: String, _ body: (PostgresStore) throws -> [BenchResult]) async throws
        -> [BenchResult]
    {
        schemas += 1
        var configuration = try PostgresStoreConfiguration(url: url)
        configuration.schema = "kam_bench_import_\(getpid())_\(schemas)"
        let database = try await PostgresStore.open(configuration)
        let results: Result<[BenchResult], any Error>
        do { results = .success(try body(database)) } catch { results = .failure(error) }
        await database.close()
        drop(schema: configuration.schema, url: url)
        return try results.get()
    }

    /// `DROP SCHEMA … CASCADE` through `psql` on the URL without its query (KAM's own parameters, which psql refuses).
    private static func drop(schema: String, url: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "psql", String(url.split(separator: "?", maxSplits: 1)[0]), "-q", "-c", "DROP SCHEMA \(schema) CASCADE",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let dropped = (try? process.run()).map { process.waitUntilExit(); return process.terminationStatus == 0 } ?? false
        if !dropped {
            FileHandle.standardError.write(Data("kam-bench: schema \(schema) was left on the server; drop it with psql\n".utf8))
        }
    }
}
