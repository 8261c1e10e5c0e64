import Foundation
import GRDB
import Synchronization

/// Tells whether anything was committed to a database file since the last look, by any connection of this
/// process or of another one: SQLite's `PRAGMA data_version`, read on a connection of its own that never writes
/// (a connection's data version changes with every commit made by any other connection).
///
/// A cache of what was read from the store keeps the version it was read at and is used only while the version
/// is the same: read the version first, then the data, so what is cached is never older than its version.
final class DataVersionWatch: Sendable {
    private let path: String
    private let busyTimeout: TimeInterval
    /// Opened on the first look: a command that never asks pays nothing.
    private let connection = Mutex<DatabaseQueue?>(nil)

    init(path: String, busyTimeout: TimeInterval) {
        self.path = path
        self.busyTimeout = busyTimeout
    }

    /// The current data version: equal to an earlier one only when nothing was committed in between.
    func version() throws -> Int {
        try connection.withLock { queue in
            if queue == nil {
                var configuration = Configuration()
                configuration.readonly = true
                configuration.busyMode = ClientStore.busyMode(path: path, timeout: busyTimeout)
                queue = try DatabaseQueue(path: path, configuration: configuration)
            }
            // Outside a transaction, each PRAGMA starts its own read and so sees the latest commit.
            return try queue!.inDatabase { db in
                try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
            }
        }
    }
}
