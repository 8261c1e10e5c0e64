import Foundation
import GRDB
import KAMCore

/// A training export's reads and its run's row in the SQLite store.
extension ClientStore: TrainingExportSource {
    public func exportDirectory() throws -> ExportDirectoryEntries {
        try writer.read { db in
            ExportDirectoryEntries(
                clients: try ExportDirectory.clients(db), contacts: try ExportDirectory.contacts(db),
                users: try ExportDirectory.users(db))
        }
    }

    public func approvedDrafts(_ filters: ExportFilters, _ each: (ExportDraftRow) throws -> Void) throws {
        try writer.read { db in
            let (sql, arguments) = Self.approvedDraftsQuery(filters)
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                try each(
                    ExportDraftRow(
                        id: row["id"], clientID: row["client_id"], document: row["document"],
                        ups: filters.minimumFeedbackUp ? row["ups"] : 0, downs: filters.minimumFeedbackUp ? row["downs"] : 0))
            }
        }
    }

    public func record(_ run: ExportRun) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO exports (id, created_at, user_id, format, model, status, filters, examples, rejected,
                      consent_excluded, files, key_id, output_directory)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id, run.createdAt.timeIntervalSince1970, run.userID, run.format, run.model, run.status, run.filters,
                    run.examples, run.rejected, run.consentExcluded, run.files, run.keyID, run.outputDirectory,
                ])
        }
    }

    /// Approved drafts, oldest first, with their feedback counts when the filter needs them.
    static func approvedDraftsQuery(_ filters: ExportFilters) -> (String, StatementArguments) {
        var sql = "SELECT d.id, d.client_id, d.document"
        if filters.minimumFeedbackUp {
            sql += """
                , (SELECT COUNT(*) FROM draft_feedback f WHERE f.draft_id = d.id AND f.rating = 'up') AS ups
                , (SELECT COUNT(*) FROM draft_feedback f WHERE f.draft_id = d.id AND f.rating = 'down') AS downs
                """
        }
        sql += " FROM drafts d WHERE d.status IN ('approved', 'edited-and-approved', 'sent')"
        var arguments: StatementArguments = []
        if let since = filters.since {
            sql += " AND d.created_at >= ?"
            _ = arguments.append(contentsOf: [since.timeIntervalSince1970])
        }
        if let promptID = filters.promptID {
            sql += " AND d.prompt_id = ?"
            _ = arguments.append(contentsOf: [promptID])
        }
        sql += " ORDER BY d.created_at, d.id"
        return (sql, arguments)
    }
}
