import Foundation

/// An error of the client store: what went wrong, where, and what to do about it.
///
/// Callers switch on `code` (the `kam` tool maps codes to exit codes); `message` is written for
/// the person at the terminal and `underlying` keeps the SQLite or decoding error for logs.
/// It lives in the core because both stores throw it: a repository's PostgreSQL twin (`KAMPostgres`) refuses
/// what SQLite refuses with the same code and message, so the services catching it work over either.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// The file is not an SQLite database (or is damaged).
        case notADatabase = "store.not-a-database"
        /// The database was migrated by a newer kam; this version does not know its schema.
        case newerSchema = "store.newer-schema"
        /// The database could not be opened or read.
        case cannotOpen = "store.cannot-open"
        /// No client has that id.
        case clientNotFound = "store.client-not-found"
        /// The client has no memory item with that key.
        case memoryKeyNotFound = "store.memory-key-not-found"
        /// A value does not fit the store (empty name, unknown reference, ...).
        case invalidValue = "store.invalid-value"
        /// Another process held the write lock longer than kam waits (`ClientStore.busyError`).
        case busy = "store.busy"
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error)?

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { return "\(message) (\(underlying))" }
        return message
    }
}
