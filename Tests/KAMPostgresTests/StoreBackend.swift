import Foundation
import KAMTesting
import Testing

/// The two stores every conformance suite runs against, the argument of each of their tests: SQLite and PostgreSQL.
///
/// A test asks for a fresh world of its suite (`StoreWorld`) over a new database of one backend, which several handles
/// open as several processes would (`ClientStore`s on one file, `PostgresStore`s on one schema: `TestDatabase`):
///
///     @Test(arguments: StoreBackend.allCases)
///     func claim(backend: StoreBackend) async throws {
///         try await backend.withWorld(DraftWorld.self) { world in … }
///     }
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Runs `body` in a fresh `World` over `handles` handles of a new database of this backend (seeded as the world
    /// says), torn down (file removed, schema dropped) whatever happens.
    func withWorld<World: StoreWorld>(
        _ world: World.Type, handles: Int = 2, _ body: (World) async throws -> Void
    ) async throws {
        try await withDatabase(handles: handles, start: World.start) { database in
            try await body(try await World(database))
        }
    }

    /// Runs `body` on `handles` handles of a new database of this backend, their clock at `start`, torn down whatever
    /// happens.
    func withDatabase(handles: Int, start: Date, _ body: (TestDatabase) async throws -> Void) async throws {
        let database = try await TestDatabase.open(self, handles: handles, clock: ManualWallClock(start))
        try await withTearDown(database, database.tearDown, body)
    }
}

/// Runs `body` on a fresh test database or world, then `tearDown` (files removed, schema dropped) whatever happens.
func withTearDown<World>(
    _ world: World, _ tearDown: @Sendable () async -> Void, _ body: (World) async throws -> Void
) async throws {
    do {
        try await body(world)
    } catch {
        await tearDown()
        throw error
    }
    await tearDown()
}
