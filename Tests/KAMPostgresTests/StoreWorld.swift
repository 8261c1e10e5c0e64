import Foundation
import KAMTesting

/// What a conformance suite works on: its stores over one `TestDatabase` (a set a handle, as each process would hold
/// them), made after seeding the rows the suite needs. `StoreBackend.withWorld` makes one a test.
protocol StoreWorld: Sendable {
    /// The instant the database's clock (every handle's `now`) starts at.
    static var start: Date { get }

    /// Seeds `database` with what the suite needs, and opens the suite's stores on each of its handles.
    init(_ database: TestDatabase) async throws

    var database: TestDatabase { get }
}

extension StoreWorld {
    /// Every handle's clock (`now`), moved by the test.
    var clock: ManualWallClock { database.clock }

    /// Runs statements of SQL both stores understand (seeding, what no store method writes), in one transaction on SQLite.
    func execute(_ statements: String...) async throws {
        try await database.execute(statements)
    }

    /// Runs `statements` (SQL both stores understand), in one transaction on SQLite.
    func execute(_ statements: [String]) async throws {
        try await database.execute(statements)
    }

    /// The first column of a query's rows (SQL both stores understand), as text.
    func strings(_ sql: String) async throws -> [String] {
        try await database.strings(sql)
    }

    /// How many rows of `table` match `condition`.
    func count(_ table: String, _ condition: String = "TRUE") async throws -> Int {
        try await database.count(table, condition)
    }

    /// Every domain event written, oldest first, as `kind subject payload` (`-` for no subject).
    func allEvents() async throws -> [String] {
        try await database.events()
    }
}
