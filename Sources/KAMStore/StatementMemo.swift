import Foundation
import GRDB

/// The prepared statements of the record writes, found by the address of their SQL literal while an import writes.
///
/// GRDB's `cachedStatement(sql:)` finds a statement by hashing its SQL text on every call: ~4% of a CSV import's row
/// writing (ten statements a row, a hundred bytes each; BENCHMARKS.md "CSV import"). A statement whose SQL is a literal
/// (`StaticString`) has a fixed address, so within `StatementMemo.using(db)` the statements are kept in a table keyed by
/// that address (an integer hash) instead. Outside it, or on another connection, `statement` is
/// `db.cachedStatement(sql:)`, so every other caller of the record writes is unchanged.
///
/// The table is the writing thread's own (thread-specific data): an import writes on one thread, inside one
/// transaction of one connection, and the table ends with `using`.
enum StatementMemo {
    /// The statements of one connection, by the address of their SQL literal.
    private final class Table {
        unowned let db: Database
        var statements: [UInt: Statement] = [:]

        init(db: Database) {
            self.db = db
        }
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Runs `body` with the statements of `db` kept by their SQL literal's address on this thread.
    static func using<T>(_ db: Database, _ body: () throws -> T) rethrows -> T {
        let table = Table(db: db)
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, Unmanaged.passUnretained(table).toOpaque())
        defer {
            pthread_setspecific(key, previous)
            withExtendedLifetime(table) {}
        }
        return try body()
    }

    /// The prepared statement of `sql` on `db`: from this thread's table inside `using(db)`, else GRDB's cache.
    static func statement(_ db: Database, _ sql: StaticString) throws -> Statement {
        guard let raw = pthread_getspecific(key) else { return try db.cachedStatement(sql: sql.description) }
        let table = Unmanaged<Table>.fromOpaque(raw).takeUnretainedValue()
        guard table.db === db else { return try db.cachedStatement(sql: sql.description) }
        let address = UInt(bitPattern: sql.utf8Start)
        if let statement = table.statements[address] { return statement }
        let statement = try db.cachedStatement(sql: sql.description)
        table.statements[address] = statement
        return statement
    }
}
