import Foundation
import GRDB
internal import GRDBSQLite
import Synchronization

/// Tells whether anything was committed to a database file since the last look, by any connection of this
/// process or of another one: SQLite's `PRAGMA data_version`, read on a connection of its own that never writes
/// (a connection's data version changes with every commit made by any other connection).
///
/// A cache of what was read from the store keeps the version it was read at and is used only while the version
/// is the same: read the version first, then the data, so what is cached is never older than its version.
///
/// The server reads it twice a request (the key, the context), so the connection is SQLite's own, with the one
/// statement prepared once and stepped through the C API under a lock: through a GRDB queue each look cost ~22 µs
/// (a dispatch queue, a cursor), most of it bookkeeping around SQLite's few microseconds.
final class DataVersionWatch: Sendable {
    private let path: String
    private let busyTimeout: TimeInterval
    /// Opened on the first look: a command that never asks pays nothing.
    private let connection = Mutex<Connection?>(nil)

    init(path: String, busyTimeout: TimeInterval) {
        self.path = path
        self.busyTimeout = busyTimeout
    }

    /// The current data version: equal to an earlier one only when nothing was committed in between.
    /// - Throws: `DatabaseError` with SQLite's code and message when the file cannot be opened or read.
    func version() throws -> Int {
        try connection.withLock { connection in
            if connection == nil { connection = try Connection(path: path, busyTimeout: busyTimeout) }
            return try connection!.dataVersion()
        }
    }

    /// A read-only SQLite connection and its prepared `PRAGMA data_version`, used only under the watch's lock.
    private final class Connection {
        private let database: OpaquePointer
        private let statement: OpaquePointer

        init(path: String, busyTimeout: TimeInterval) throws {
            var database: OpaquePointer?
            let opened = sqlite3_open_v2(path, &database, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
            guard opened == SQLITE_OK, let database else {
                let message = database.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
                sqlite3_close(database)
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: opened),
                    message: "cannot open \(path) to watch its data version: \(message)")
            }
            // Outside a transaction, each step starts its own read and so sees the latest commit; a read waits for
            // a WAL recovery by another connection at most as long as the store's writes wait for the lock.
            sqlite3_busy_timeout(database, Int32(min(busyTimeout * 1000, Double(Int32.max))))
            var statement: OpaquePointer?
            let prepared = sqlite3_prepare_v2(database, "PRAGMA data_version", -1, &statement, nil)
            guard prepared == SQLITE_OK, let statement else {
                let message = String(cString: sqlite3_errmsg(database))
                sqlite3_close(database)
                throw DatabaseError(resultCode: ResultCode(rawValue: prepared), message: message)
            }
            self.database = database
            self.statement = statement
        }

        deinit {
            sqlite3_finalize(statement)
            sqlite3_close(database)
        }

        func dataVersion() throws -> Int {
            defer { sqlite3_reset(statement) }
            let code = sqlite3_step(statement)
            guard code == SQLITE_ROW else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: "cannot read the data version: " + String(cString: sqlite3_errmsg(database)))
            }
            return Int(sqlite3_column_int64(statement, 0))
        }
    }
}
