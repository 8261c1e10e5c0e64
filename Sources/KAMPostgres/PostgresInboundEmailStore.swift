import Foundation
import KAMCore
import PostgresNIO

/// Inbound email in a PostgreSQL database, as `InboundEmailRepository` keeps it in SQLite: the core's
/// `InboundEmailStoring`, shared by every process that opens the database.
///
/// `store(_:)` writes the email, its activity, its tasks, its ticket and its pending draft in one transaction with
/// their events (`PostgresEventLog`), so an intake is either entirely there or not at all. One Message-ID is stored
/// once across processes: the transaction first takes an advisory lock on the Message-ID (`pg_advisory_xact_lock`,
/// keyed by the schema and the id), held until it commits, then looks the id up. So of two intakes of one message
/// at once, the second waits, then finds the first's row and returns `.duplicate` with its id, having written
/// nothing, as SQLite's single writer makes it (rather than writing an activity and a draft and then failing on the
/// unique Message-ID). Other messages take other locks and are stored side by side.
///
/// For example:
///
///     let emails = PostgresInboundEmailStore(store: try await PostgresStore.open(configuration))
///     if case .duplicate(let id) = try emails.store(record) { print("already stored as \(id)") }
public struct PostgresInboundEmailStore: InboundEmailStoring {
    public let store: PostgresStore

    /// The advisory lock's first key: "kam inbound email" (the second hashes the schema and the Message-ID).
    static let lockKey: Int32 = 0x4B41_4D21

    public init(store: PostgresStore) {
        self.store = store
    }

    // MARK: - ClientEmailDirectory

    public func contacts(withEmail address: String) throws -> [DirectoryContact] {
        try store.transaction(readOnly: true) { session in
            let contacts = try session.query(
                """
                SELECT \(unescaped: PostgresMemoryRows.contactColumns) FROM contacts
                WHERE lower(email) = lower(\(address)::text COLLATE "C") ORDER BY client_id, id
                """, doing: "finding the contacts of \(address)"
            ).rows.map(PostgresMemoryRows.contact)
            return try contacts.compactMap { contact in
                try session.query(
                    "SELECT \(unescaped: PostgresMemoryRows.clientColumns) FROM clients WHERE id = \(contact.clientID)",
                    doing: "reading client \(contact.clientID)"
                ).rows.first.map { DirectoryContact(client: try PostgresMemoryRows.client($0), contact: contact) }
            }
        }
    }

    public func clients(withDomains domains: [String]) throws -> [Client] {
        let wanted = domains.filter { !$0.isEmpty }
        guard !wanted.isEmpty else { return [] }
        return try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT \(unescaped: PostgresMemoryRows.clientColumns) FROM clients
                WHERE lower(domain) IN (SELECT lower(d COLLATE "C") FROM unnest(\(wanted)::text[]) AS d)
                ORDER BY id
                """, doing: "finding the clients of domains \(wanted.joined(separator: ", "))"
            ).rows.map(PostgresMemoryRows.client)
        }
    }

    public func teamDomains() throws -> Set<String> {
        let emails = try store.transaction(readOnly: true) { session in
            try session.query("SELECT email FROM users", doing: "reading the team's email domains").rows.map {
                try $0.decode(String.self)
            }
        }
        return Set(
            emails.compactMap { email in
                let parts = email.lowercased().split(separator: "@")
                return parts.count == 2 ? String(parts[1]) : nil
            })
    }

    // MARK: - Intake

    public func containsEmail(messageID: String) throws -> Bool {
        try store.transaction(readOnly: true) { session in try Self.entryID(session, messageID: messageID) != nil }
    }

    public func store(_ record: EmailIntakeRecord) throws -> EmailIntakeStoreResult {
        try store.transaction(readOnly: false) { session in
            try session.query(
                """
                SELECT pg_advisory_xact_lock(\(Self.lockKey),
                    hashtext(\(store.configuration.schema) || '/' || \(record.messageID)))
                """, doing: "waiting for the intake lock of email \(record.messageID)")
            if let existing = try Self.entryID(session, messageID: record.messageID) { return .duplicate(id: existing) }
            var activityID: Int64?
            var taskIDs: [Int64] = []
            if let clientID = record.match.clientID {
                // The client's row is held, as the CRM's task writes hold it (`PostgresClientRecordStore`).
                try PostgresClientRecordStore.requireClient(session, clientID, lock: true)
                if let activity = record.activity {
                    let upserted = try PostgresClientRecordStore.upsertActivity(session, activity, at: record.ingestedAt)
                    activityID = upserted.id
                }
                for task in record.tasks {
                    taskIDs.append(try PostgresClientRecordStore.upsertTask(session, task, at: record.ingestedAt).id)
                }
                if let ticket = record.ticket {
                    try PostgresSupportTicketStore.insert(session, ticket, at: record.ingestedAt)
                }
                if let draft = record.draft {
                    try PostgresDraftStore.insert(session, draft, detail: "acknowledgment of email \(record.messageID)")
                }
            }
            let id = try Self.insertEmail(session, record, activityID: activityID)
            for event in record.emailEvents(emailID: id, activityID: activityID) {
                try PostgresEventLog.append(session, event)
            }
            return .stored(id: id, activityID: activityID, taskIDs: taskIDs)
        }
    }

    /// The `inbound_emails` row of `record`, with the values SQLite's repository stores; its id.
    private static func insertEmail(_ session: PostgresSession, _ record: EmailIntakeRecord, activityID: Int64?) throws
        -> Int64
    {
        let message = record.message
        let match = record.match
        let direction = match.clientID == nil && record.status == .failed ? nil : match.direction.rawValue
        let analysis = try record.analysis.map(DocumentCoding.encode)
        let candidates = try DocumentCoding.encode(match.candidates)
        let parsed = try message.map(DocumentCoding.encode)
        let rows = try session.query(
            """
            INSERT INTO inbound_emails (message_id, client_id, "match", confidence, status, failure, received_at,
              thread_id, from_address, subject, raw, analysis, activity_id, draft_id, direction, contact_id,
              matched_address, candidates, match_reason, ingested_at, message, analysis_prompt, analysis_note,
              draft_note)
            VALUES (\(record.messageID), \(match.clientID), \(match.method.rawValue), \(match.confidence),
              \(record.status.rawValue), \(record.failure), \(record.receivedAt.timeIntervalSince1970),
              \(message?.threadID.map(EmailIntakeEntry.bareMessageID)), \(message?.from?.address), \(message?.subject),
              \(ByteBuffer(bytes: record.raw)), \(analysis), \(activityID), \(record.draft?.id), \(direction),
              \(match.contactID), \(match.matchedAddress), \(candidates), \(match.reason),
              \(record.ingestedAt.timeIntervalSince1970), \(parsed), \(record.analysisPrompt), \(record.analysisNote),
              \(record.draftNote))
            RETURNING id
            """, doing: "storing email \(record.messageID)")
        guard let id = try rows.rows.first?.decode(Int64.self) else {
            throw PostgresStoreError(.queryFailed, "the insert of email \(record.messageID) returned no id")
        }
        return id
    }

    static func entryID(_ session: PostgresSession, messageID: String) throws -> Int64? {
        try session.query(
            "SELECT id FROM inbound_emails WHERE message_id = \(messageID)", doing: "looking up email \(messageID)"
        ).rows.first?.decode(Int64.self)
    }
}
