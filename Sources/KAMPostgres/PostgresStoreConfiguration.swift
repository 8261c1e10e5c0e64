import Foundation

/// Where a PostgreSQL store lives and how KAM talks to it: server, credentials, schema, pool and timeouts.
///
/// Every parameter has a default; `init(url:)` reads the usual URL form, so a configuration file or an
/// environment variable needs one string.
///
/// For example:
///
///     let configuration = try PostgresStoreConfiguration(
///         url: "postgres://kam:secret@db.internal:5432/kam?pool_size=20&statement_timeout=5")
///     let store = try await PostgresStore.open(configuration)
public struct PostgresStoreConfiguration: Sendable, Equatable {
    /// Whether the connection is encrypted, as libpq's `sslmode`.
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, plain otherwise (libpq's default).
        case prefer
        /// TLS with the server's certificate verified, or no connection.
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// The schema KAM's tables live in (`search_path`); a test gives each case its own.
    public var schema: String
    /// The most connections the pool opens to the server.
    public var poolSize: Int
    /// The longest a statement (a lock wait included) may run before the server cancels it.
    public var statementTimeout: Duration
    /// The longest KAM waits for a connection: opening one, or leasing one from a busy pool.
    public var connectTimeout: Duration
    public var tls: TLSMode
    /// Whether opening the store applies missing migrations; with `false` a database behind this KAM is refused.
    public var migrates: Bool

    public init(
        host: String = "127.0.0.1", port: Int = 5432, username: String = "kam", password: String? = nil,
        database: String = "kam", schema: String = "public", poolSize: Int = 10,
        statementTimeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(5), tls: TLSMode = .prefer,
        migrates: Bool = true
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.schema = schema
        self.poolSize = poolSize
        self.statementTimeout = statementTimeout
        self.connectTimeout = connectTimeout
        self.tls = tls
        self.migrates = migrates
    }

    /// Reads `postgres://USER:PASSWORD@HOST:PORT/DATABASE?schema=S&pool_size=N&statement_timeout=SECONDS&connect_timeout=SECONDS&sslmode=MODE`.
    ///
    /// - Throws: `PostgresStoreError` `.invalidURL` naming the part that is wrong.
    public init(url: String) throws {
        func invalid(_ what: String) -> PostgresStoreError {
            PostgresStoreError(
                .invalidURL,
                "\(Self.redacted(url)): \(what); write it as postgres://user:password@host:port/database "
                    + "(optional ?schema=, pool_size=, statement_timeout=, connect_timeout=, sslmode=)")
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme)
        else { throw invalid("not a postgres:// URL") }
        guard let host = components.host, !host.isEmpty else { throw invalid("no host") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw invalid("no database name after the host") }
        self.init(host: host, database: database)
        if let port = components.port { self.port = port }
        if let user = components.user, !user.isEmpty { self.username = user.removingPercentEncoding ?? user }
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "schema":
                guard Self.isPlainIdentifier(value) else {
                    throw invalid("schema '\(value)' must be lower-case letters, digits and _, starting with a letter")
                }
                schema = value
            case "pool_size":
                guard let size = Int(value), (1...1_000).contains(size) else {
                    throw invalid("pool_size must be 1 to 1000")
                }
                poolSize = size
            case "statement_timeout", "connect_timeout":
                guard let seconds = Double(value), seconds > 0, seconds <= 86_400 else {
                    throw invalid("\(item.name) must be a number of seconds above 0")
                }
                let duration = Duration.milliseconds(Int64((seconds * 1_000).rounded()))
                if item.name == "statement_timeout" { statementTimeout = duration } else { connectTimeout = duration }
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw invalid("sslmode must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            default:
                throw invalid("unknown parameter '\(item.name)'")
            }
        }
    }

    /// How messages name the store: database, server and user (never the password).
    public var place: String {
        let schemaPart = schema == "public" ? "" : ", schema \(schema)"
        return "PostgreSQL database '\(database)' on \(host):\(port) as '\(username)'\(schemaPart)"
    }

    /// The statement timeout in whole milliseconds, as the server's `statement_timeout` setting takes it.
    var statementTimeoutMilliseconds: Int64 {
        let (seconds, attoseconds) = statementTimeout.components
        return max(1, seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
    }

    /// A schema name KAM may write into SQL unquoted: it comes from a URL, so nothing else is allowed.
    static func isPlainIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.unicodeScalars.count <= 63,
            ("a"..."z").contains(first) || first == "_"
        else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The URL with its password replaced, for messages.
    /// "PostgreSQL" and the URL without its password: how `kam config check`, `kam db check` and `kam db copy-ledger`
    /// show a database, in the form `KAM_LEDGER_URL` takes (`place` is the form of an error's sentence).
    public var labelledURL: String { "PostgreSQL \(redactedURL)" }

    /// `labelledURL` of a URL given as text, or "PostgreSQL (invalid URL)" when it does not parse.
    public static func labelledURL(_ url: String) -> String {
        (try? PostgresStoreConfiguration(url: url).labelledURL) ?? "PostgreSQL (invalid URL)"
    }

    /// The database as a URL without its password, for messages and `kam config check`.
    public var redactedURL: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
            + (schema == "public" ? "" : "?schema=\(schema)")
    }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
