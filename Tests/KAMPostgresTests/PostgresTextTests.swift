import Foundation
import KAMCore
import PostgresNIO
import Testing

@testable import KAMPostgres

/// Text PostgreSQL cannot hold. SQLite stores what valid JSON says byte for byte, the NUL character (U+0000)
/// included (issue #10); a PostgreSQL `text` value cannot contain it. KAM keeps text columns `text` (their indexes,
/// `lower(…)` and byte order depend on it) and refuses such a value with `postgres.invalid-value`, naming where it is,
/// rather than storing something else in its place.
@Suite("PostgreSQL text")
struct PostgresTextTests {
    @Test("a copied text value holding NUL is refused, naming the table, column and row", arguments: [
        ColumnValue.text("Ann\u{0}Lee"), .blob(Array("Ann\u{0}Lee".utf8)),
    ])
    func copiedNUL(_ value: ColumnValue) throws {
        var bindings = PostgresBindings()
        let error = #expect(throws: PostgresStoreError.self) {
            try PostgresTableLoader.bind(value, as: "text", into: &bindings, column: "contacts.name of the row with id 7")
        }
        #expect(error?.code == .invalidValue)
        #expect(error?.message.contains("contacts.name of the row with id 7") == true, "\(String(describing: error))")
        #expect(error?.message.contains("U+0000") == true)
        // The same bytes into a BYTEA column are kept as they are.
        try PostgresTableLoader.bind(value, as: "bytea", into: &bindings, column: "x.y")
    }

    @Test("a statement binding text with NUL gets postgres.invalid-value from the server's refusal, not a bare query failure")
    func statementNUL() async throws {
        let store = try await PostgresTestServer.open(schema: PostgresTestServer.freshSchema())
        let thrown = await Task.detached { () -> PostgresStoreError? in
            do {
                _ = try store.transaction(readOnly: false) { session in
                    try session.query("SELECT \("Ann\u{0}Lee")::text", doing: "reading a name back")
                }
                return nil
            } catch {
                return error as? PostgresStoreError
            }
        }.value
        #expect(thrown?.code == .invalidValue, "\(String(describing: thrown))")
        #expect(thrown?.message.contains("reading a name back") == true)
        #expect(thrown?.message.contains("U+0000") == true)
        try await PostgresTestServer.drop(store)
    }
}

extension PostgresTextTests {
    @Test("a copy into PostgreSQL names the row whose text holds NUL, and stores nothing of the table")
    func copyNamesTheRow() async throws {
        let store = try await PostgresTestServer.open(schema: PostgresTestServer.freshSchema())
        let thrown = await Task.detached { () -> PostgresStoreError? in
            do {
                try store.load { loader in
                    try loader.insert(
                        table: "users", columns: ["id", "name", "email"],
                        rows: [
                            [.text("ann"), .text("Ann Lee"), .text("ann@example.com")],
                            [.text("jane"), .text("Jane\u{0}wants the schedule"), .text("jane@example.com")],
                        ])
                }
                return nil
            } catch {
                return error as? PostgresStoreError
            }
        }.value
        #expect(thrown?.code == .invalidValue)
        #expect(thrown?.message.contains("users.name of the row with id jane") == true, "\(String(describing: thrown))")
        #expect(try await store.strings("SELECT id FROM users") == [])
        try await PostgresTestServer.drop(store)
    }
}
