import Foundation

/// A store's refusal (`StoreError`) of one record of a batch an importer wrote together (`ImportSink.upsertActivities`,
/// `upsertTasks`, `upsertMemories`): which record, by its place in the batch, so the importer names its line or path.
public struct ImportBatchError: Error, CustomStringConvertible, Sendable {
    /// The refused record's place in the batch.
    public var index: Int
    public var error: StoreError

    public init(index: Int, _ error: StoreError) {
        self.index = index
        self.error = error
    }

    public var description: String { "record \(index) of the batch: \(error)" }
}
