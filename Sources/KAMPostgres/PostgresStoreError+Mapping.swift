import Foundation
import PostgresNIO

extension PostgresStoreError {
    /// No connection of the pool was leased within `connectTimeout`.
    static func poolExhausted(_ configuration: PostgresStoreConfiguration, doing: String) -> PostgresStoreError {
        PostgresStoreError(
            .poolExhausted,
            "no connection to \(configuration.place) within \(configuration.connectTimeout) while \(doing): the server "
                + "does not answer, or all \(configuration.poolSize) connections of the pool stayed busy; check the "
                + "server, or raise ?pool_size= / ?connect_timeout= in the URL")
    }

    /// Translates PostgresNIO's error into one that says what failed on which server and what to do.
    ///
    /// The server's SQLSTATE decides: 28P01/28000 bad credentials, 3D000 no such database, 57014 a
    /// statement cancelled by `statement_timeout`, 42P01/3F000 tables or schema missing, 22021 for a NUL character
    /// (invalid value); a connection
    /// that could not be made or was lost is `unreachable`.
    init(_ error: any Error, configuration: PostgresStoreConfiguration, doing: String) {
        if let error = error as? PostgresStoreError {
            self = error
            return
        }
        let place = configuration.place
        if error is NIOConnectionError || error is IOError || error is ChannelError {
            self = Self.unreachable(error, place: place, doing: doing)
            return
        }
        guard let psql = error as? PSQLError else {
            self.init(.queryFailed, "\(doing) on \(place) failed: \(error)", underlying: error)
            return
        }
        switch psql.code {
        case .server:
            let state = psql.serverInfo?[.sqlState] ?? ""
            let said = psql.serverInfo?[.message] ?? "no message"
            switch state {
            case "28P01", "28000":
                self.init(
                    .badCredentials,
                    "\(place) refused the user name or password (\(said)); check the user and password in the URL "
                        + "(postgres://USER:PASSWORD@host/database) or the server's pg_hba.conf",
                    underlying: error)
            case "3D000":
                self.init(
                    .noDatabase,
                    "\(place): \(said); create it (`createdb -h \(configuration.host) -p \(configuration.port) "
                        + "\(configuration.database)`) or fix the URL's database name",
                    underlying: error)
            case "57014":
                self.init(
                    .timeout,
                    "\(doing) on \(place) ran longer than the statement timeout "
                        + "(\(configuration.statementTimeoutMilliseconds) ms) and the server cancelled it; another "
                        + "process may hold the ledger's lock (see pg_stat_activity), or raise ?statement_timeout= in the URL",
                    underlying: error)
            case "22021" where said.contains("0x00"):
                // SQLite stores text byte for byte, NUL included; PostgreSQL text cannot hold it.
                self.init(
                    .invalidValue,
                    "\(doing) on \(place) failed: the text holds the NUL character (U+0000), which PostgreSQL text cannot "
                        + "store (SQLite stores it as written); remove it from the record, or keep this store on SQLite",
                    underlying: error)
            case "42P01", "3F000":
                self.init(
                    .noSchema,
                    "\(place) has no KAM tables (\(said)); open it once with migrations allowed (the default) "
                        + "as a user who may create tables, or point the URL at KAM's database",
                    underlying: error)
            default:
                self.init(
                    .queryFailed, "\(doing) on \(place) failed: \(said) (SQLSTATE \(state))", underlying: error)
            }
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed:
            self = Self.unreachable(error, place: place, doing: doing)
        default:
            self.init(.queryFailed, "\(doing) on \(place) failed: \(psql.code)", underlying: error)
        }
    }

    private static func unreachable(_ error: any Error, place: String, doing: String) -> PostgresStoreError {
        PostgresStoreError(
            .unreachable,
            "no PostgreSQL server answered for \(doing) at \(place); start one (`tools/postgres` prints a URL) "
                + "or fix the host and port in the URL",
            underlying: error)
    }
}
