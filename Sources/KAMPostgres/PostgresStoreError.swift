import Foundation

/// An error of a PostgreSQL store: what went wrong, where (the server and database), and what to do.
///
/// Callers switch on `code`; `message` is written for the person at the terminal and `underlying`
/// keeps PostgresNIO's error (with the server's SQLSTATE) for logs.
public struct PostgresStoreError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// The URL is not a `postgres://user:password@host:port/database` URL.
        case invalidURL = "postgres.invalid-url"
        /// No server answered at the URL's host and port (or socket) within the connect timeout.
        case unreachable = "postgres.unreachable"
        /// The server refused the user name or password.
        case badCredentials = "postgres.bad-credentials"
        /// The server has no database of that name.
        case noDatabase = "postgres.no-database"
        /// The database has none of KAM's tables (it was never migrated) and migration was not asked for.
        case noSchema = "postgres.no-schema"
        /// The database was migrated by a newer KAM; this version does not know its schema.
        case newerSchema = "postgres.newer-schema"
        /// A statement ran longer than the configured statement timeout and the server cancelled it.
        case timeout = "postgres.timeout"
        /// Every connection of the pool stayed busy longer than the statement timeout.
        case poolExhausted = "postgres.pool-exhausted"
        /// A row holds a value this KAM does not know (an enumeration a newer KAM wrote), or a copied value that its
        /// column's type cannot take.
        case invalidValue = "postgres.invalid-value"
        /// Any other failure of a statement (the server's message is in `underlying`).
        case queryFailed = "postgres.query-failed"
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
        if let underlying { return "\(message) (\(String(reflecting: underlying)))" }
        return message
    }
}
