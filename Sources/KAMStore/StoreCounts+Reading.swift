import GRDB
import KAMCore

extension StoreCounts {
    /// The counts of the tables of `db`, read in the caller's transaction.
    public static func read(_ db: Database) throws -> StoreCounts {
        try StoreCounts(rows: SQLiteTableLoader(db: db, place: "").counts(tables))
    }
}
