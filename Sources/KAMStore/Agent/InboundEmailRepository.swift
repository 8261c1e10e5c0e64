import Foundation
import GRDB
import KAMCore

/// Inbound email intake in the client store: the email half of the `EmailIntakeStore` that `EmailIntake` works
/// through (`EmailIntakeStores`, with the leads' store for the lead move), its `ClientEmailDirectory`, and the queries behind `kam email list`, `kam email show` and the daily plan's
/// inbound signals: the core's `InboundEmailStoring` on SQLite.
///
/// `store(_:)` writes the email, its activity, its tasks and its pending draft in one transaction with their
/// events (`email.ingested`, `email.unmatched`, `activity.logged`, `draft.created`), so an intake is either
/// entirely there or not at all; SQLite's single writer makes the Message-ID check and the insert one step, so
/// of two intakes racing for one message the second finds the first's row (the unique index backs it up).
public struct InboundEmailRepository: InboundEmailStoring {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    // MARK: - ClientEmailDirectory

    public func contacts(withEmail address: String) throws -> [DirectoryContact] {
        try store.writer.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT \(ClientRecords.contactColumns) FROM contacts WHERE email = ? COLLATE NOCASE ORDER BY client_id, id"),
                arguments: [address])
            return try rows.compactMap { row in
                let contact = try ClientRecords.contact(row)
                guard
                    let client = try Row.fetchOne(
                        db.cachedStatement(sql: "SELECT \(ClientRecords.clientColumns) FROM clients WHERE id = ?"), arguments: [contact.clientID]
                    ).map(ClientRecords.client)
                else { return nil }
                return DirectoryContact(client: client, contact: contact)
            }
        }
    }

    public func clients(withDomains domains: [String]) throws -> [Client] {
        let wanted = domains.filter { !$0.isEmpty }
        guard !wanted.isEmpty else { return [] }
        return try store.writer.read { db in
            let marks = Array(repeating: "?", count: wanted.count).joined(separator: ", ")
            return try Row.fetchAll(
                db, sql: "SELECT \(ClientRecords.clientColumns) FROM clients WHERE domain IN (\(marks)) ORDER BY id",
                arguments: StatementArguments(wanted)
            ).map(ClientRecords.client)
        }
    }

    public func teamDomains() throws -> Set<String> {
        try store.writer.read { db in
            Set(
                try String.fetchAll(db, sql: "SELECT email FROM users").compactMap { email in
                    let parts = email.lowercased().split(separator: "@")
                    return parts.count == 2 ? String(parts[1]) : nil
                })
        }
    }

    // MARK: - Intake

    public func containsEmail(messageID: String) throws -> Bool {
        try store.writer.read { db in try Self.entryID(db, messageID: messageID) != nil }
    }

    public func store(_ record: EmailIntakeRecord) throws -> EmailIntakeStoreResult {
        try store.writer.write { db in
            if let existing = try Self.entryID(db, messageID: record.messageID) { return .duplicate(id: existing) }
            var activityID: Int64?
            var taskIDs: [Int64] = []
            if let clientID = record.match.clientID {
                try ClientRecords.requireClient(db, clientID)
                if let activity = record.activity {
                    activityID = try ClientRecords.upsertActivity(db, activity, at: record.ingestedAt).id
                }
                for task in record.tasks { taskIDs.append(try ClientRecords.upsertTask(db, task, at: record.ingestedAt).id) }
                if let ticket = record.ticket { try SupportTicketRepository.insert(db, ticket, at: record.ingestedAt) }
                if let draft = record.draft {
                    try db.execute(
                        sql: """
                            INSERT INTO drafts (id, client_id, kind, status, created_at, updated_at, decided_at, sent_at,
                              prompt_id, prompt_version, prompt_hash, provider, model, is_offline, experiment_id, variant,
                              document)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: try DraftRepository.arguments(draft))
                    try DraftRepository.appendEvent(
                        db, draft: draft, action: "created", from: nil, user: draft.createdBy,
                        detail: "acknowledgment of email \(record.messageID)")
                    try EventLog.append(db, .draft(.draftCreated, draft))
                }
            }
            let message = record.message
            try db.execute(
                sql: """
                    INSERT INTO inbound_emails (message_id, client_id, match, confidence, status, failure, received_at,
                      thread_id, from_address, subject, raw, analysis, activity_id, draft_id, direction, contact_id,
                      matched_address, candidates, match_reason, ingested_at, message, analysis_prompt, analysis_note,
                      draft_note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: .storing([
                    record.messageID, record.match.clientID, record.match.method.rawValue, record.match.confidence,
                    record.status.rawValue, record.failure, record.receivedAt.timeIntervalSince1970,
                    message?.threadID.map(EmailIntakeEntry.bareMessageID), message?.from?.address, message?.subject,
                    Data(record.raw),
                    try record.analysis.map(DocumentCoding.encode), activityID, record.draft?.id,
                    record.match.clientID == nil && record.status == .failed ? nil : record.match.direction.rawValue,
                    record.match.contactID, record.match.matchedAddress,
                    try DocumentCoding.encode(record.match.candidates), record.match.reason,
                    record.ingestedAt.timeIntervalSince1970, try message.map(DocumentCoding.encode),
                    record.analysisPrompt, record.analysisNote, record.draftNote,
                ]))
            let id = db.lastInsertedRowID
            for event in record.emailEvents(emailID: id, activityID: activityID) { try EventLog.append(db, event) }
            return .stored(id: id, activityID: activityID, taskIDs: taskIDs)
        }
    }

    // MARK: - Queries

    public func list(clientID: String? = nil, status: EmailIntakeStatus? = nil, limit: Int = 100) throws
        -> [EmailIntakeEntry]
    {
        try store.writer.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let clientID {
                conditions.append("client_id = ?")
                _ = arguments.append(contentsOf: [clientID])
            }
            if let status {
                conditions.append("status = ?")
                _ = arguments.append(contentsOf: [status.rawValue])
            }
            var sql = "SELECT \(Self.columns) FROM inbound_emails"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY received_at DESC, id DESC LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try Self.entry(db, $0) }
        }
    }

    public func entry(_ idOrMessageID: String) throws -> EmailIntakeEntry? {
        try store.writer.read { db in
            let row: Row?
            if let id = Int64(idOrMessageID) {
                row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.columns) FROM inbound_emails WHERE id = ?", arguments: [id])
            } else {
                row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.columns) FROM inbound_emails WHERE message_id = ?",
                    arguments: [EmailIntakeEntry.bareMessageID(idOrMessageID)])
            }
            return try row.map { try Self.entry(db, $0) }
        }
    }

    public func raw(id: Int64) throws -> [UInt8]? {
        try store.writer.read { db in
            try Data.fetchOne(db, sql: "SELECT raw FROM inbound_emails WHERE id = ?", arguments: [id]).map(Array.init)
        }
    }

    public func counts() throws -> [EmailIntakeStatus: Int] {
        try store.writer.read { db in
            var counts: [EmailIntakeStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM inbound_emails GROUP BY status") {
                if let status = EmailIntakeStatus(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    public func inboundSignals(since: Date) throws -> [InboundSignal] {
        try store.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT client_id, subject, received_at, json_extract(analysis, '$.intent') AS intent,
                      json_extract(analysis, '$.urgency') AS urgency
                    FROM inbound_emails
                    WHERE client_id IS NOT NULL AND analysis IS NOT NULL AND received_at >= ?
                    ORDER BY received_at DESC, id DESC
                    """, arguments: [since.timeIntervalSince1970]
            ).map { row in
                InboundSignal(
                    clientID: row["client_id"], subject: row["subject"] ?? "", intent: row["intent"] ?? "other",
                    urgency: row["urgency"] ?? "low", receivedAt: Date(timeIntervalSince1970: row["received_at"]))
            }
        }
    }

    // MARK: - Rows

    static let columns = """
        id, message_id, client_id, match, confidence, status, failure, received_at, thread_id, from_address, subject,
        length(raw) AS raw_bytes, analysis, activity_id, draft_id, direction, contact_id, matched_address, candidates,
        match_reason, ingested_at, message, analysis_prompt, analysis_note, draft_note
        """

    static func entryID(_ db: Database, messageID: String) throws -> Int64? {
        try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM inbound_emails WHERE message_id = ?"), arguments: [messageID])
    }

    static func entry(_ db: Database, _ row: Row) throws -> EmailIntakeEntry {
        let messageID: String = row["message_id"]
        let taskIDs = try Int64.fetchAll(
            db.cachedStatement(sql: "SELECT id FROM tasks WHERE external_id LIKE ? ESCAPE '\\' ORDER BY id"),
            arguments: [EmailIntakeEntry.taskPattern(messageID: messageID)])
        let rawStatus: String = row["status"]
        guard let status = EmailIntakeStatus(rawValue: rawStatus) else {
            throw StoreError(
                .invalidValue,
                "inbound_emails.status holds '\(rawStatus)', which this kam does not know; upgrade kam or fix the row")
        }
        return EmailIntakeEntry(
            id: row["id"], messageID: messageID, status: status, clientID: row["client_id"],
            match: EmailClientMatch.Method(rawValue: row["match"]) ?? .unmatched, confidence: row["confidence"],
            direction: (row["direction"] as String?).flatMap(ActivityDirection.init(rawValue:)),
            matchedAddress: row["matched_address"],
            candidates: try (row["candidates"] as String?).map { try DocumentCoding.decode([String].self, from: $0) }
                ?? [],
            matchReason: row["match_reason"], receivedAt: Date(timeIntervalSince1970: row["received_at"]),
            ingestedAt: (row["ingested_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            threadID: row["thread_id"], from: row["from_address"], subject: row["subject"], failure: row["failure"],
            analysis: try (row["analysis"] as String?).map { try DocumentCoding.decode(InboundEmailAnalysis.self, from: $0) },
            analysisPrompt: row["analysis_prompt"], analysisNote: row["analysis_note"], activityID: row["activity_id"],
            draftID: row["draft_id"], draftNote: row["draft_note"], taskIDs: taskIDs,
            message: try (row["message"] as String?).map { try DocumentCoding.decode(EmailMessage.self, from: $0) },
            rawBytes: row["raw_bytes"] ?? 0)
    }
}
