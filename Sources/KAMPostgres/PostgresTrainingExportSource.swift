import Foundation
import KAMCore
import PostgresNIO

/// A training export's reads and its run's row in PostgreSQL: the twin of `ClientStore`'s (`TrainingExportSource`).
///
/// The directory is read in one `REPEATABLE READ READ ONLY` transaction, each table in SQLite's order (text columns
/// are `COLLATE "C"`, so ids sort byte by byte as SQLite's `BINARY` does). The drafts come through a cursor, `FETCH`ed
/// 500 at a time inside one read-only transaction, so an export of any size holds one batch, as SQLite's cursor does.
public struct PostgresTrainingExportSource: TrainingExportSource {
    public let store: PostgresStore
    public let now: @Sendable () -> Date

    public init(store: PostgresStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    public var place: String { store.place }

    public func exportDirectory() throws -> ExportDirectoryEntries {
        try store.transaction(readOnly: true) { session in
            let doing = "reading the clients, contacts and users for an export"
            return ExportDirectoryEntries(
                clients: try session.query(
                    PostgresQuery(unsafeSQL: "SELECT \(PostgresMemoryRows.clientColumns) FROM clients ORDER BY id"),
                    doing: doing
                ).rows.map(PostgresMemoryRows.client),
                contacts: try session.query(
                    PostgresQuery(
                        unsafeSQL: "SELECT \(PostgresMemoryRows.contactColumns) FROM contacts ORDER BY client_id, id"),
                    doing: doing
                ).rows.map(PostgresMemoryRows.contact),
                users: try session.query(
                    PostgresQuery(unsafeSQL: "SELECT \(PostgresMemoryRows.userColumns) FROM users ORDER BY id"), doing: doing
                ).rows.map(PostgresMemoryRows.user))
        }
    }

    public func approvedDrafts(_ filters: ExportFilters, _ each: (ExportDraftRow) throws -> Void) throws {
        let doing = "reading the approved drafts for an export"
        try store.transaction(readOnly: true) { session in
            let feedback =
                filters.minimumFeedbackUp
                ? """
                , (SELECT COUNT(*) FROM draft_feedback f WHERE f.draft_id = d.id AND f.rating = 'up')
                , (SELECT COUNT(*) FROM draft_feedback f WHERE f.draft_id = d.id AND f.rating = 'down')
                """ : ", 0::BIGINT, 0::BIGINT"
            // The filters as binds; an absent one is a NULL that lets every row through.
            let since = filters.since?.timeIntervalSince1970
            var query = PostgresQuery(
                unsafeSQL: """
                    DECLARE kam_export NO SCROLL CURSOR FOR
                    SELECT d.id, d.client_id, d.document\(feedback) FROM drafts d
                    WHERE d.status IN ('approved', 'edited-and-approved', 'sent')
                      AND ($1::DOUBLE PRECISION IS NULL OR d.created_at >= $1)
                      AND ($2::TEXT IS NULL OR d.prompt_id = $2)
                    ORDER BY d.created_at, d.id
                    """)
            query.binds.append(since)
            query.binds.append(filters.promptID)
            try session.query(query, doing: doing)
            while true {
                let rows = try session.query("FETCH FORWARD 500 FROM kam_export", doing: doing).rows
                guard !rows.isEmpty else { break }
                for row in rows {
                    let (id, clientID, document, ups, downs) = try row.decode((String, String, String, Int64, Int64).self)
                    try each(ExportDraftRow(id: id, clientID: clientID, document: document, ups: Int(ups), downs: Int(downs)))
                }
            }
            try session.query("CLOSE kam_export", doing: doing)
        }
    }

    public func record(_ run: ExportRun) throws {
        _ = try store.transaction(readOnly: false) { session in
            try session.query(
                """
                INSERT INTO exports (id, created_at, user_id, format, model, status, filters, examples, rejected,
                  consent_excluded, files, key_id, output_directory)
                VALUES (\(run.id), \(run.createdAt.timeIntervalSince1970), \(run.userID), \(run.format), \(run.model),
                  \(run.status), \(run.filters), \(run.examples), \(run.rejected), \(run.consentExcluded), \(run.files),
                  \(run.keyID), \(run.outputDirectory))
                """, doing: "recording the export \(run.id)")
        }
    }
}
