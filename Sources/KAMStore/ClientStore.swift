import Foundation
import GRDB
import KAMCore

/// The client memory of KAM in one SQLite file: clients, their people, what happened with them,
/// their deals, tasks, orders, and remembered facts and preferences.
///
/// Files are opened as a GRDB `DatabasePool` in WAL mode, so the context assembler reads while an
/// import writes; tests use an in-memory `DatabaseQueue` (`ClientStore.inMemory()`). Opening
/// migrates the schema and refuses files written by a newer kam or that are not SQLite at all.
public struct ClientStore: Sendable {
    /// The GRDB connection; other KAMStore repositories (drafts, usage, ...) share it.
    public let writer: any DatabaseWriter
    /// The file, or nil in memory.
    public let path: String?
    /// The store's clock for `updatedAt` stamps; injected so tests and the demo are reproducible.
    public let now: @Sendable () -> Date
    /// The file's commit counter (`dataVersion()`); only a store opened from a file has one.
    private(set) var dataVersionWatch: DataVersionWatch?

    /// Opens (creating if needed) the database file at `path` and migrates it to the current schema.
    ///
    /// - Throws: `StoreError` `.notADatabase` when the file is not SQLite, `.newerSchema` when a newer
    ///   kam migrated it, `.cannotOpen` for anything else (permissions, missing folder).
    ///
    /// - Parameter busyTimeout: how long a write waits for another connection's write lock
    ///   (SQLite retries with backoff) before failing with `StoreError` `.busy` (`ClientStore+Busy.swift`).
    public static func open(
        path: String, now: @escaping @Sendable () -> Date = { Date() }, busyTimeout: TimeInterval = defaultBusyTimeout
    ) throws -> ClientStore {
        try checkHeader(path: path)
        SQLiteProcess.configure()
        var configuration = Configuration()
        configuration.busyMode = busyMode(path: path, timeout: busyTimeout)
        configuration.prepareDatabase { db in
            // Safe in WAL mode (no corruption on power loss, only the last commits may roll back),
            // and several times faster for bulk imports than FULL.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Reads map the file instead of copying each page through a pread: on a 10k-client store a context
            // read touches pages all over the file, and the syscalls were a fifth of `kam serve`'s CPU a request.
            try db.execute(sql: "PRAGMA mmap_size = \(Self.mappedBytes)")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw mapOpenError(error, path: path)
        }
        var store = try ClientStore(writer: pool, path: path, now: now)
        store.dataVersionWatch = DataVersionWatch(path: path, busyTimeout: busyTimeout)
        return store
    }

    /// How much of a store file SQLite reads through a memory map (1 GiB; the rest through reads).
    static let mappedBytes = 1 << 30

    /// A fresh, empty store in memory: one per test.
    public static func inMemory(now: @escaping @Sendable () -> Date = { Date() }) throws -> ClientStore {
        SQLiteProcess.configure()
        return try ClientStore(writer: DatabaseQueue(), path: nil, now: now)
    }

    /// Wraps an existing connection, refusing newer schemas and applying missing migrations.
    public init(writer: any DatabaseWriter, path: String? = nil, now: @escaping @Sendable () -> Date = { Date() })
        throws
    {
        self.writer = writer
        self.path = path
        self.now = now
        let migrator = KAMSchema.migrator
        let place = path ?? "the in-memory database"
        do {
            let unknown = try writer.read { db -> [String] in
                let known = Set(migrator.migrations)
                return try migrator.appliedIdentifiers(db).filter { !known.contains($0) }.sorted()
            }
            if !unknown.isEmpty {
                throw StoreError(
                    .newerSchema,
                    "\(place) was written by a newer version of kam (schema migrations \(unknown.joined(separator: ", ")) "
                        + "are unknown to kam \(KAMVersion.string)); upgrade kam to open it, or point --db at another file"
                )
            }
            try migrator.migrate(writer)
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.mapOpenError(error, path: place)
        }
    }

    /// Rejects a non-empty file that does not start with SQLite's magic header, before SQLite
    /// gets a chance to treat it as something else.
    private static func checkHeader(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if !header.isEmpty && header != Data("SQLite format 3\u{0}".utf8) {
            throw StoreError(
                .notADatabase,
                "\(path) is not a kam database (not an SQLite file); check --db / KAM_DB, or move the file away "
                    + "and run the command again to create a new database"
            )
        }
    }

    private static func mapOpenError(_ error: any Error, path: String) -> StoreError {
        if let error = error as? DatabaseError,
            error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT
        {
            return StoreError(
                .notADatabase,
                "\(path) is damaged or not an SQLite database; restore it from a backup, or move it away "
                    + "and run the command again to create a new database",
                underlying: error
            )
        }
        return StoreError(
            .cannotOpen,
            "cannot open the database \(path): check that the folder exists and is writable",
            underlying: error
        )
    }
}
