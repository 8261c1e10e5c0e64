import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waiting for the write lock, and saying who holds it when waiting was not enough.
///
/// SQLite lets one connection write at a time. A short write (`kam remember`) that finds another
/// writing waits for it: SQLite's busy handler retries the lock, backing off, for up to
/// `defaultBusyTimeout`. Long writes (an import) leave a note beside the database file while they
/// hold the lock, so that a writer that still gives up can say which operation holds the database
/// and what to do, instead of SQLite's bare "database is locked".
extension ClientStore {
    /// How long a write waits for another connection's write transaction before giving up. A
    /// 100,000-row import holds the lock for a few seconds; a minute leaves room for far larger ones.
    public static let defaultBusyTimeout: TimeInterval = 60

    /// The note a long write leaves beside the database while it holds the write lock.
    struct WriteLockNote: Codable, Equatable {
        var operation: String
        var pid: Int32
        var since: Date
    }

    /// Where the note of the database at `path` is kept.
    static func writeLockNotePath(_ path: String) -> String { path + "-writer" }

    /// Runs `body` in one write transaction, with a note naming `operation` beside the database
    /// file for as long as the transaction holds the write lock (none for an in-memory store).
    func writeNoting<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        try writer.write { db in
            // Inside the transaction: GRDB begins it IMMEDIATE, so this connection holds the lock now.
            guard let path else { return try body(db) }
            let notePath = Self.writeLockNotePath(path)
            let note = WriteLockNote(operation: operation, pid: getpid(), since: now())
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            if let data = try? encoder.encode(note) {
                // Best effort: a note that cannot be written only makes a blocked writer's message vaguer.
                _ = FileManager.default.createFile(atPath: notePath, contents: data)
            }
            defer { try? FileManager.default.removeItem(atPath: notePath) }
            return try body(db)
        }
    }

    /// The note of a live process holding the write lock of the database at `path`, if any.
    static func writeLockNote(_ path: String) -> WriteLockNote? {
        guard let data = FileManager.default.contents(atPath: writeLockNotePath(path)) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let note = try? decoder.decode(WriteLockNote.self, from: data) else { return nil }
        // A note left by a process that died (kill -9) names nobody.
        guard kill(note.pid, 0) == 0 || errno == EPERM else { return nil }
        return note
    }

    /// A `StoreError` `.busy` for an error that says the database stayed locked by another
    /// connection longer than the busy timeout, naming the operation that holds it when it left a
    /// note; nil for any other error.
    ///
    /// - Parameter path: the database file (`store.path`); nil for an in-memory store.
    public static func busyError(_ error: any Error, path: String?, now: Date = Date()) -> StoreError? {
        guard let error = error as? DatabaseError,
            error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
        else { return nil }
        let place = path ?? "the database"
        let wait = "kam waited \(Int(defaultBusyTimeout)) s for it"
        guard let path, let note = writeLockNote(path) else {
            return StoreError(
                .busy,
                "\(place) is busy: another process is writing to it and \(wait); run the command again when that "
                    + "process has finished (`fuser \(place)` lists the processes that have it open)",
                underlying: error)
        }
        let seconds = max(0, Int(now.timeIntervalSince(note.since).rounded()))
        return StoreError(
            .busy,
            "\(place) is busy: `\(note.operation)` (process \(note.pid)) has been writing to it for \(seconds) s "
                + "and \(wait); run the command again when it has finished, or stop that process to abandon it "
                + "(nothing of it is kept)",
            underlying: error)
    }
}
