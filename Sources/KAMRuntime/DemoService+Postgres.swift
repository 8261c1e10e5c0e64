import Foundation
import KAMCore
import KAMPostgres
import KAMStore

extension DemoService {
    /// `seed()` into a new PostgreSQL database: the demo's steps (`seed(into:)` with a `ClientStore`, the one copy of
    /// them and of the demo's data) run on a scratch SQLite store in memory, and every row they wrote is copied into
    /// `database` by `StoreCopy` (ids, times and events as they were), in one transaction. The database then holds what
    /// `seed()` leaves in a new SQLite file (`DemoSeedingTests`), and `Seeded.counts` are its counts.
    ///
    /// Only a database without rows in the demo's tables can be seeded so: a copy never merges two stores, so a second
    /// `kam demo` on it, or one on a database that already holds clients or users, is refused with nothing written
    /// (`demo.target-not-empty`), where `seed()` on a SQLite file upserts the demo's rows by id beside the others. The
    /// prompt versions the edited drafts were written with are recorded by the runtime's registry, not copied.
    ///
    /// For example:
    ///
    ///     let seeded = try runtime.demo.seed(into: database)   // database: an open PostgresStore, empty
    ///     seeded.counts.clients                                 // 10
    ///
    /// - Throws: `RuntimeError` `demo.target-not-empty` when the database holds rows of a table the demo writes;
    ///   `PostgresStoreError` when it cannot be written.
    public func seed(into database: PostgresStore) throws -> Seeded {
        let scratch = try ClientStore.inMemory(now: runtime.now)
        let seeded = try seed(into: scratch)
        let written = try scratch.readTables(try scratch.tableNames().sorted()) { _, _, _ in }.filter { $0.value > 0 }
        do {
            _ = try StoreCopy.copy(from: scratch, to: database, only: Set(written.keys))
        } catch let error as RuntimeError where error.code == "copy.target-not-empty" {
            throw RuntimeError(
                .wrongState, code: "demo.target-not-empty",
                "kam demo seeds a PostgreSQL database only while it holds none of the demo's rows, and "
                    + "\(database.place) holds some (\(error.message)); seed an empty database or a new ?schema=, "
                    + "or run kam demo on a SQLite store and copy it (kam db copy); nothing was written")
        }
        return seeded
    }
}
