/// A store a copy writes whole tables into, in one transaction: `kam db copy` (`StoreCopy`).
public protocol TableSink {
    /// Where the store is, as a person names it.
    var place: String { get }

    /// The tables that hold KAM's data in this store's schema.
    func tableNames() throws -> Set<String>

    /// Runs `body` with a loader inside one write transaction: everything it writes is committed together, or nothing
    /// when it throws. Foreign keys hold at the commit.
    func load<T>(_ body: (any TableLoading) throws -> T) throws -> T
}
