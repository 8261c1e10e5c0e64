import Foundation

/// What a training export reads from a store, and the run it records there: everyone the store knows (the
/// anonymizer's dictionary and the leak audit's needles), the approved drafts a filter selects, streamed, and the
/// `exports` row of the run. `ClientStore` on SQLite, `PostgresTrainingExportSource` on PostgreSQL; the exporter
/// (`TrainingExporter`: rebuilding, anonymizing, validating, auditing and writing the files) is the same over both.
///
/// For example:
///
///     let exporter = TrainingExporter(source: runtime.trainingExportSource, prices: prices)
///     let report = try exporter.run(options, session: session)
public protocol TrainingExportSource: Sendable {
    /// Where the store is, for messages: a file's path, or a PostgreSQL server and database.
    var place: String { get }

    /// The store's clock, for the run's row.
    var now: @Sendable () -> Date { get }

    /// Every client by id, every contact by client then id, every user by id, read in one transaction.
    func exportDirectory() throws -> ExportDirectoryEntries

    /// The drafts approved, edited and approved, or sent that `filters` select (created since `filters.since`, of
    /// `filters.promptID`), oldest first by creation then id, with their feedback counts when
    /// `filters.minimumFeedbackUp` asks for them; read in one transaction and handed to `each` one at a time, never
    /// all at once.
    func approvedDrafts(_ filters: ExportFilters, _ each: (ExportDraftRow) throws -> Void) throws

    /// Records one run in the `exports` table.
    func record(_ run: ExportRun) throws
}
