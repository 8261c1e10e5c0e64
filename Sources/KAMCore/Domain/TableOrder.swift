/// Tables put in an order a copy can write them in: every table after the tables its foreign keys name.
public enum TableOrder {
    /// `parents`' tables, each after the tables it names (a table naming itself is written in its key's order, which
    /// its own rows follow); ties in name order, so the order is the same every time.
    ///
    /// - Throws: `StoreError` `.invalidValue` when tables name each other in a cycle, which no order satisfies.
    public static func parentsFirst(_ parents: [String: Set<String>]) throws -> [String] {
        var waiting: [String: Set<String>] = [:]
        for (table, named) in parents { waiting[table] = named.filter { $0 != table && parents[$0] != nil } }
        var ordered: [String] = []
        while !waiting.isEmpty {
            let ready = waiting.filter { $0.value.isEmpty }.keys.sorted()
            guard !ready.isEmpty else {
                throw StoreError(
                    .invalidValue,
                    "the tables \(waiting.keys.sorted().joined(separator: ", ")) name each other in a cycle of foreign keys; "
                        + "no copy order writes each after its parents")
            }
            for table in ready { waiting[table] = nil }
            for table in waiting.keys { waiting[table]!.subtract(ready) }
            ordered += ready
        }
        return ordered
    }
}
