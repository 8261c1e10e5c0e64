import Foundation
import GRDB
import KAMStore
import Testing

/// A temporary working directory with its own database, where a test runs `kam`.
///
/// Each test gets a fresh directory (so no stray `kam.yaml` or `kam.sqlite` of the repository can
/// leak in) and, when it starts from seeded data, its own copy of the seeded database file.
struct Workspace: Sendable {
    let directory: URL
    let database: URL

    /// A fresh, empty workspace.
    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("kam-e2e-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = directory.appendingPathComponent("kam.sqlite")
    }

    /// A fresh workspace whose database is a copy of `seed`.
    init(copying seed: URL) throws {
        try self.init()
        for suffix in ["", "-wal", "-shm"] {
            let source = URL(fileURLWithPath: seed.path + suffix)
            if FileManager.default.fileExists(atPath: source.path) {
                try FileManager.default.copyItem(at: source, to: URL(fileURLWithPath: database.path + suffix))
            }
        }
    }

    /// Runs `kam arguments --db <this workspace's database>`.
    func kam(_ arguments: String..., input: String? = nil, environment: [String: String] = [:]) async throws
        -> KAMTool.Result
    {
        try await KAMTool.run(
            arguments + ["--db", database.path], in: directory, environment: environment, input: input)
    }

    /// Runs `kam arguments` as given: for commands that take no `--db`.
    func kamWithoutDatabase(_ arguments: String..., input: String? = nil) async throws -> KAMTool.Result {
        try await KAMTool.run(arguments, in: directory, input: input)
    }

    /// Writes `text` to a file of this workspace and returns its URL.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// Reads the workspace's database directly, to check what `kam` stored (and what it did not).
    func query<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        SQLiteProcess.configure()  // before SQLite opens its first connection of this process
        let queue = try DatabaseQueue(path: database.path)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    /// Rows of `sql`, each as a column → text dictionary.
    func rows(_ sql: String) throws -> [[String: String]] {
        try query { db in
            try Row.fetchAll(db, sql: sql).map { row in
                var values: [String: String] = [:]
                for column in row.columnNames {
                    let value: DatabaseValue = row[column]
                    switch value.storage {
                    case .null: break
                    case .int64(let number): values[column] = String(number)
                    case .double(let number): values[column] = String(number)
                    case .string(let text): values[column] = text
                    case .blob(let data): values[column] = String(decoding: data, as: UTF8.self)
                    }
                }
                return values
            }
        }
    }

    /// The number of rows of `table`.
    func count(_ table: String, where condition: String = "1") throws -> Int {
        try query { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(condition)") ?? 0 }
    }

    /// Row counts of every table (migrations bookkeeping aside).
    func tableCounts() throws -> [String: Int] {
        try query { db in
            let tables = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
            var counts: [String: Int] = [:]
            for table in tables {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0
            }
            return counts
        }
    }
}
