import Foundation
import GRDB

extension ClientStore {
    /// Writes a consistent copy of the whole database to `path` (SQLite `VACUUM INTO`), while
    /// readers and writers go on; the copy is compact and has no WAL file of its own.
    public func copy(to path: String) throws {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [path])
        }
    }
}
