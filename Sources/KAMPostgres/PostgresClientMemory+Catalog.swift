import Foundation
import KAMCore
import PostgresNIO

extension PostgresClientMemory: ClientCatalogReading {
    /// See `ClientStore.client(id:)`.
    public func client(id: String) throws -> Client? {
        try store.transaction(readOnly: true) { session in
            try Self.all(
                session, "SELECT \(unescaped: PostgresMemoryRows.clientColumns) FROM clients WHERE id = \(id)",
                doing: "reading client \(id)", PostgresMemoryRows.client
            ).first
        }
    }

    /// See `ClientStore.listClients()`: SQLite's `ORDER BY name COLLATE NOCASE` is `lower(name)` in the "C" collation
    /// of the column, which folds ASCII letters only.
    public func listClients() throws -> [Client] {
        try store.transaction(readOnly: true) { session in
            try Self.all(
                session, "SELECT \(unescaped: PostgresMemoryRows.clientColumns) FROM clients ORDER BY lower(name), id",
                doing: "listing the clients", PostgresMemoryRows.client)
        }
    }

    /// See `ClientStore.user(id:)`: the user with this id, else the one whose email is this one in any case.
    public func user(id: String) throws -> User? {
        try store.transaction(readOnly: true) { session in
            try Self.all(
                session,
                """
                SELECT \(unescaped: PostgresMemoryRows.userColumns) FROM users
                WHERE id = \(id) OR lower(email) = lower(\(id)::text COLLATE "C")
                ORDER BY id = \(id) DESC, id LIMIT 1
                """,
                doing: "reading user \(id)", PostgresMemoryRows.user
            ).first
        }
    }

    /// See `ClientStore.listUsers()`.
    public func listUsers() throws -> [User] {
        try store.transaction(readOnly: true) { session in
            try Self.all(
                session, "SELECT \(unescaped: PostgresMemoryRows.userColumns) FROM users ORDER BY name, id",
                doing: "listing the users", PostgresMemoryRows.user)
        }
    }

    /// See `ClientStore.counts()`: the tables counted in one read-only transaction.
    public func counts() throws -> StoreCounts {
        try store.transaction(readOnly: true) { session in
            try StoreCounts(rows: PostgresTableLoader(session: session).counts(StoreCounts.tables))
        }
    }
}
