import Foundation
import GRDB

/// Text that keeps every byte in the database, NUL included.
///
/// GRDB 7.10 binds a Swift `String` with `sqlite3_bind_text(…, -1, …)` and reads TEXT with
/// `String(cString:)`, so text stops at its first NUL both ways: the JSON string
/// `"Jane\u0000wants the schedule."` was stored as `Jane`. SQLite itself calls the result of
/// expressions over TEXT with embedded NULs undefined, so a string that holds a NUL is stored as
/// a BLOB of its exact UTF-8 bytes: compared byte for byte, and read back whole by GRDB's
/// `String` decoding of a fetched `Row` (which takes a blob's length, not its C string). Strings
/// without a NUL, nearly all of them, stay TEXT as before.
///
/// Bind text through `StatementArguments.storing(_:)`, and read a single text column that may
/// hold a NUL with `StoredText.fetchOne` / `fetchAll`: GRDB's `String.fetchOne` reads the C
/// string and would cut it.
///
/// For example:
///
///     try statement.execute(arguments: .storing([contact.name, contact.email]))
///     let name = try StoredText.fetchOne(db, sql: "SELECT name FROM clients WHERE id = ?", arguments: [id])?.string
struct StoredText: DatabaseValueConvertible, Hashable, Sendable {
    var string: String

    init(_ string: String) {
        self.string = string
    }

    var databaseValue: DatabaseValue { Self.databaseValue(of: string) }

    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> StoredText? {
        String.fromDatabaseValue(dbValue).map(StoredText.init)
    }

    /// TEXT for a string without NUL, else a BLOB of its UTF-8 bytes.
    static func databaseValue(of string: String) -> DatabaseValue {
        string.utf8.contains(0) ? Data(string.utf8).databaseValue : string.databaseValue
    }

    /// Whether a string's UTF-8 `bytes` are stored as a BLOB (they hold a NUL): `databaseValue(of:)`'s
    /// rule, for a caller that already holds the bytes (the C-API bind of `Statement+Storing`).
    static func isBlob(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        return memchr(base, 0, bytes.count) != nil
    }
}

extension StatementArguments {
    /// Positional arguments whose strings keep every byte (see `StoredText`).
    static func storing(_ values: [(any DatabaseValueConvertible)?]) -> StatementArguments {
        // Elements typed `(any DatabaseValueConvertible)?`, not `DatabaseValue`: GRDB's initializer for
        // the latter maps a key path that is built anew on every call (a fifth of a CSV import's time).
        StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
            if let string = value as? String { return StoredText.databaseValue(of: string) }
            return value
        })
    }
}
