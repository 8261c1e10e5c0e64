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

/// Everyone a store knows, for an export.
public struct ExportDirectoryEntries: Sendable, Equatable {
    public var clients: [Client]
    public var contacts: [Contact]
    public var users: [User]

    public init(clients: [Client], contacts: [Contact], users: [User]) {
        self.clients = clients
        self.contacts = contacts
        self.users = users
    }
}

/// One approved draft as an export reads it: its stored document and, when asked for, its feedback.
public struct ExportDraftRow: Sendable, Equatable {
    public var id: String
    public var clientID: String
    /// The draft's stored JSON document (`DocumentCoding`).
    public var document: String
    /// Thumbs up and down it got; 0 when the filter did not ask for them.
    public var ups: Int
    public var downs: Int

    public init(id: String, clientID: String, document: String, ups: Int = 0, downs: Int = 0) {
        self.id = id
        self.clientID = clientID
        self.document = document
        self.ups = ups
        self.downs = downs
    }
}

/// The `exports` row of one run.
public struct ExportRun: Sendable, Equatable {
    public var id: String
    public var createdAt: Date
    public var userID: String?
    public var format: String
    public var model: String
    /// `committed`, or `failed-leak-audit`.
    public var status: String
    /// The filters and the files, as JSON text.
    public var filters: String
    public var examples: Int
    public var rejected: Int
    public var consentExcluded: Int
    public var files: String
    public var keyID: String
    public var outputDirectory: String

    public init(
        id: String, createdAt: Date, userID: String?, format: String, model: String, status: String, filters: String,
        examples: Int, rejected: Int, consentExcluded: Int, files: String, keyID: String, outputDirectory: String
    ) {
        self.id = id
        self.createdAt = createdAt
        self.userID = userID
        self.format = format
        self.model = model
        self.status = status
        self.filters = filters
        self.examples = examples
        self.rejected = rejected
        self.consentExcluded = consentExcluded
        self.files = files
        self.keyID = keyID
        self.outputDirectory = outputDirectory
    }
}
