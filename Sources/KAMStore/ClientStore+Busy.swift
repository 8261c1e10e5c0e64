import Foundation
import GRDB
import KAMCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waiting for the write lock, and saying who holds it when waiting was not enough.
///
/// SQLite lets one connection write at a time. A short write (`kam remember`) that finds another
/// writing waits for it: the busy handler retries the lock, backing off from 1 ms to 50 ms, for up
/// to `defaultBusyTimeout`. Long writes (an import) leave a note beside the database file while they
/// hold the lock, so that a writer that still gives up can say which operation holds the database
/// and what to do, instead of SQLite's bare "database is locked".
extension ClientStore {
    /// How long a write waits for another connection's write transaction before giving up. A
    /// 100,000-row import holds the lock for a few seconds; a minute leaves room for far larger ones.
    public static let defaultBusyTimeout: TimeInterval = 60

    /// The last wait for a lock that gave up in this process: which database, after how long.
    private static let lastGiveUp = Mutex<(path: String, timeout: TimeInterval)?>(nil)

    /// Retries the lock with backoff until `timeout` has passed, then gives up (SQLite then
    /// returns SQLITE_BUSY), noting which database it was for `busyError`. Like SQLite's own busy
    /// timeout, but it knows the file, which the error SQLite returns does not say.
    static func busyMode(path: String, timeout: TimeInterval) -> Database.BusyMode {
        .callback { tries in
            // SQLite counts the calls of one wait from 0; the time waited is the sum of the sleeps so far.
            func sleep(_ try: Int) -> TimeInterval { min(0.001 * Double(1 << min(`try`, 6)), 0.05) }
            let waited = (0..<min(tries, 10)).reduce(0.0) { $0 + sleep($1) } + Double(max(tries - 10, 0)) * 0.05
            guard waited < timeout else {
                lastGiveUp.withLock { $0 = (path, timeout) }
                return false
            }
            Thread.sleep(forTimeInterval: sleep(tries))
            return true
        }
    }

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
    /// - Parameter path: the database file (`store.path`); nil for the one whose lock this process
    ///   last gave up waiting for.
    public static func busyError(_ error: any Error, path: String?, now: Date = Date()) -> StoreError? {
        guard let error = error as? DatabaseError,
            error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
        else { return nil }
        let gaveUp = lastGiveUp.withLock { $0 }
        let path = path ?? gaveUp?.path
        let place = path ?? "the database"
        let timeout = gaveUp.flatMap { $0.path == path ? $0.timeout : nil } ?? defaultBusyTimeout
        let wait = "kam waited \(timeout < 10 ? String(format: "%.1f", timeout) : String(Int(timeout))) s for it"
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
