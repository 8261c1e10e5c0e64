import Foundation
import GRDB
internal import GRDBSQLite

/// Statements run with their values bound through SQLite's C API, strings keeping every byte.
///
/// GRDB's `execute(arguments:)` and `fetchOne` cost about 8 µs of bookkeeping a call on top of
/// SQLite's own work (argument validation, database-region tracking, observation hooks that KAM
/// does not use): more than the insert itself, and a bulk import runs several statements a row.
/// These bind each value directly (a string holding a NUL as a BLOB of its bytes, through
/// `StoredText` as `StatementArguments.storing` does), step, and reset the statement, so a cached statement stays
/// reusable by GRDB too. Use them on statements of the write path that run once per imported
/// record; GRDB's own API stays the right choice everywhere else. The statements an import runs for every record
/// bind each value as it comes (`binding:`, `StatementBinding`) rather than through an array.
///
/// For example:
///
///     try db.cachedStatement(sql: "INSERT INTO users (id, name, email) VALUES (?, ?, ?)")
///         .execute(storing: [user.id, user.name, user.email])
///     try db.cachedStatement(sql: "INSERT INTO users (id, name, email) VALUES (?, ?, ?)").execute { values in
///         values.text(user.id)
///         values.text(user.name)
///         values.text(user.email)
///     }
///     let id = try db.cachedStatement(sql: "SELECT id FROM contacts WHERE external_id = ?").fetchInt64(storing: [externalID])
extension Statement {
    /// Runs the statement to its end with `values` bound in order.
    ///
    /// - Throws: `DatabaseError` with SQLite's code and message when a step fails (a constraint, say).
    func execute(storing values: [(any DatabaseValueConvertible)?]) throws {
        try run(values) { _ in false }
    }

    /// Runs an INSERT with `values` bound in order: the new row's id, or nil when it inserted nothing (`ON CONFLICT DO
    /// NOTHING`). Asks SQLite directly: `Database.changesCount` and `lastInsertedRowID` check GRDB's dispatch queue each,
    /// a thread-local look-up twice for every record an import inserts.
    func insertedRowID(storing values: [(any DatabaseValueConvertible)?]) throws -> Int64? {
        try run(values) { _ in false }
        return insertedRowID()
    }

    /// The first column of the first row as an integer; nil without a row or for NULL.
    func fetchInt64(storing values: [(any DatabaseValueConvertible)?]) throws -> Int64? {
        var result: Int64?
        try run(values) { row in
            if !row.isNull(0) { result = row.int64(0) }
            return false
        }
        return result
    }

    /// `read` of the first row; nil without a row.
    func fetchFirst<T>(storing values: [(any DatabaseValueConvertible)?], _ read: (StoredRow) throws -> T) throws -> T? {
        var result: T?
        try run(values) { row in
            result = try read(row)
            return false
        }
        return result
    }

    /// Calls `body` with each row in turn.
    func forEachRow(storing values: [(any DatabaseValueConvertible)?], _ body: (StoredRow) throws -> Void) throws {
        try run(values) { row in
            try body(row)
            return true
        }
    }

    /// Runs the statement to its end with the values `bind` gives, in order.
    func execute(_ bind: (inout StatementBinding) -> Void) throws {
        try run(bind) { _ in false }
    }

    /// `insertedRowID(storing:)` with the values `bind` gives, in order.
    func insertedRowID(_ bind: (inout StatementBinding) -> Void) throws -> Int64? {
        try run(bind) { _ in false }
        return insertedRowID()
    }

    /// The row the statement just inserted, or nil when it inserted none.
    private func insertedRowID() -> Int64? {
        let connection = sqlite3_db_handle(sqliteStatement)
        return sqlite3_changes(connection) > 0 ? sqlite3_last_insert_rowid(connection) : nil
    }

    /// Binds `values`, steps while `row` asks for more, and leaves the statement reset and unbound.
    private func run(_ values: [(any DatabaseValueConvertible)?], _ row: (StoredRow) throws -> Bool) throws {
        // By index, not by enumerating: each value is then bound where it lies, not copied out of the array first.
        try run({ binding in for offset in values.indices { binding.value(values[offset]) } }, row)
    }

    /// Binds what `bind` gives, steps while `row` asks for more, and leaves the statement reset and unbound.
    private func run(_ bind: (inout StatementBinding) -> Void, _ row: (StoredRow) throws -> Bool) throws {
        let statement = sqliteStatement
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        var binding = StatementBinding(statement: statement)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
            binding.bytes.release()  // no parameter points into them any more
        }
        bind(&binding)
        guard binding.code == SQLITE_OK else { throw failure(binding.code) }
        while true {
            let code = sqlite3_step(statement)
            switch code {
            case SQLITE_ROW:
                guard try row(StoredRow(statement: statement)) else { return }
            case SQLITE_DONE:
                return
            default:
                throw failure(code)
            }
        }
    }

    private func failure(_ code: CInt) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(sqliteStatement))),
            sql: sql)
    }
}

/// A statement's parameters, bound in order through SQLite's C API as each value comes: what the write path of an
/// import binds for every record (`ClientRecords`' inserts, `EventLog.append`), with no array of boxed values to build
/// and take apart each time (that cost more than SQLite's binds: BENCHMARKS.md "CSV import"). Text and blobs are copied
/// into `bytes`, which SQLite reads in place until the statement is reset (`BoundBytes`). The first failed bind is kept
/// and thrown before the step.
struct StatementBinding {
    fileprivate let statement: OpaquePointer
    /// The bound text and blobs; released by `Statement.run` once the statement is reset and unbound.
    fileprivate var bytes = BoundBytes()
    private var index: CInt = 0
    /// SQLITE_OK, or the code of the first bind that failed.
    fileprivate private(set) var code: CInt = SQLITE_OK

    fileprivate init(statement: OpaquePointer) {
        self.statement = statement
    }

    /// Binds text, or NULL. A string holding a NUL is a BLOB of its bytes, as `StoredText` stores it: one rule for
    /// both ways in.
    mutating func text(_ value: String?) {
        guard var value else { return null() }
        let code = value.withUTF8 { utf8 in
            let kept = bytes.copy(UnsafeRawBufferPointer(utf8))
            if StoredText.isBlob(utf8) { return sqlite3_bind_blob(statement, index + 1, kept, CInt(utf8.count), sqliteStatic) }
            return sqlite3_bind_text(statement, index + 1, kept.assumingMemoryBound(to: CChar.self), CInt(utf8.count), sqliteStatic)
        }
        advance(code)
    }

    mutating func double(_ value: Double?) {
        guard let value else { return null() }
        advance(sqlite3_bind_double(statement, index + 1, value))
    }

    mutating func integer(_ value: Int64?) {
        guard let value else { return null() }
        advance(sqlite3_bind_int64(statement, index + 1, value))
    }

    /// 1 or 0, as GRDB stores a `Bool`.
    mutating func bool(_ value: Bool) {
        integer(value ? 1 : 0)
    }

    /// A date as seconds since 1970, or NULL: how KAM's tables store times.
    mutating func time(_ value: Date?) {
        double(value?.timeIntervalSince1970)
    }

    mutating func null() {
        advance(sqlite3_bind_null(statement, index + 1))
    }

    /// Any value GRDB can store, by its `databaseValue`.
    mutating func value(_ value: (any DatabaseValueConvertible)?) {
        guard let value else { return null() }
        // `databaseValue` rather than a cast to String first: the dynamic cast cost more than the bind.
        switch value.databaseValue.storage {
        case .null:
            null()
        case .int64(let integer):
            self.integer(integer)
        case .double(let double):
            self.double(double)
        case .string(let string):
            text(string)
        case .blob(let data):
            guard !data.isEmpty else { return advance(sqlite3_bind_zeroblob(statement, index + 1, 0)) }
            let kept = data.withUnsafeBytes { bytes.copy($0) }
            advance(sqlite3_bind_blob(statement, index + 1, kept, CInt(data.count), sqliteStatic))
        }
    }

    private mutating func advance(_ code: CInt) {
        if self.code == SQLITE_OK { self.code = code }
        index += 1
    }
}

/// SQLite's `SQLITE_STATIC`: the bytes stay where they are until the statement is reset (`BoundBytes`).
private let sqliteStatic: sqlite3_destructor_type? = nil

/// The current row of a statement that `Statement.forEachRow(storing:_:)` steps through.
struct StoredRow {
    fileprivate let statement: OpaquePointer

    func isNull(_ column: Int) -> Bool { sqlite3_column_type(statement, CInt(column)) == SQLITE_NULL }

    func int64(_ column: Int) -> Int64 { sqlite3_column_int64(statement, CInt(column)) }

    func double(_ column: Int) -> Double { sqlite3_column_double(statement, CInt(column)) }

    /// The column's text, whole (a NUL included, whether stored as TEXT or as a BLOB); nil for NULL.
    func text(_ column: Int) -> String? {
        let column = CInt(column)
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL:
            return nil
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let bytes = sqlite3_column_blob(statement, column) else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: bytes, count: count), as: UTF8.self)
        default:
            guard let bytes = sqlite3_column_text(statement, column) else { return "" }
            let count = Int(sqlite3_column_bytes(statement, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
    }
}
