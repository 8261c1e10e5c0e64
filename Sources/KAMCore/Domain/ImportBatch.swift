import Foundation

/// How a store writes a batch of an import's records (`ImportSink.upsertActivities`, `upsertTasks`, `upsertMemories`):
/// together when that leaves what one at a time would, else one at a time, a refusal named by the record's place.
public enum ImportBatch {
    /// Whether `records` can be written together: more than one, no key twice (the second would update the first,
    /// which one statement cannot say), a key on each unless `keyless` records may go in too (one without cannot
    /// conflict), and each one `fits` (a store's own condition).
    public static func together<Record>(
        _ records: [Record], key: (Record) -> String?, keyless: Bool, fits: (Record) -> Bool = { _ in true }
    ) -> Bool {
        var keys = Set<String>(minimumCapacity: records.count)
        return records.count > 1 && records.allSatisfy { record in (key(record).map { keys.insert($0).inserted } ?? keyless) && fits(record) }
    }

    /// `body` of each record in turn, a `StoreError` named by the record's place (`ImportBatchError`).
    public static func each<Record, Result>(_ records: [Record], _ body: (Record) throws -> Result) throws -> [Result] {
        var results: [Result] = []
        results.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            do {
                results.append(try body(record))
            } catch let error as StoreError {
                throw ImportBatchError(index: index, error)
            }
        }
        return results
    }
}
