import Foundation
import KAMCore
import PostgresNIO

extension PostgresInboundEmailStore {
    public func list(clientID: String? = nil, status: EmailIntakeStatus? = nil, limit: Int = 100) throws
        -> [EmailIntakeEntry]
    {
        var query = PostgresDraftQuery()
        if let clientID { query.require("client_id =", clientID) }
        if let status { query.require("status =", status.rawValue) }
        let tail = "ORDER BY received_at DESC, id DESC " + query.limit(limit)
        return try store.transaction(readOnly: true) { session in
            try session.query(query.query(Self.columns, from: "inbound_emails", tail), doing: "listing the emails")
                .rows.map { try Self.entry(session, $0) }
        }
    }

    public func entry(_ idOrMessageID: String) throws -> EmailIntakeEntry? {
        try store.transaction(readOnly: true) { session in
            let query: PostgresQuery
            if let id = Int64(idOrMessageID) {
                query = "SELECT \(unescaped: Self.columns) FROM inbound_emails WHERE id = \(id)"
            } else {
                let messageID = EmailIntakeEntry.bareMessageID(idOrMessageID)
                query = "SELECT \(unescaped: Self.columns) FROM inbound_emails WHERE message_id = \(messageID)"
            }
            return try session.query(query, doing: "reading email \(idOrMessageID)").rows.first.map {
                try Self.entry(session, $0)
            }
        }
    }

    public func raw(id: Int64) throws -> [UInt8]? {
        try store.transaction(readOnly: true) { session in
            guard
                let row = try session.query(
                    "SELECT raw FROM inbound_emails WHERE id = \(id)", doing: "reading the bytes of email \(id)"
                ).rows.first,
                let buffer = try row.decode(ByteBuffer?.self)
            else { return nil }
            return Array(buffer.readableBytesView)
        }
    }

    public func counts() throws -> [EmailIntakeStatus: Int] {
        try store.transaction(readOnly: true) { session in
            var counts: [EmailIntakeStatus: Int] = [:]
            for row in try session.query(
                "SELECT status, COUNT(*) FROM inbound_emails GROUP BY status", doing: "counting the emails"
            ).rows {
                let (status, count) = try row.decode((String, Int64).self)
                if let status = EmailIntakeStatus(rawValue: status) { counts[status] = Int(count) }
            }
            return counts
        }
    }

    /// SQLite's `json_extract` reads the analysis as `json` here: a value that is no JSON string (a number) reads as
    /// its text, as there.
    public func inboundSignals(since: Date) throws -> [InboundSignal] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT client_id, subject, received_at, analysis::json ->> 'intent', analysis::json ->> 'urgency'
                FROM inbound_emails
                WHERE client_id IS NOT NULL AND analysis IS NOT NULL AND received_at >= \(since.timeIntervalSince1970)
                ORDER BY received_at DESC, id DESC
                """, doing: "reading the inbound signals"
            ).rows.map { row in
                let (clientID, subject, received, intent, urgency) = try row.decode(
                    (String, String?, Double, String?, String?).self)
                return InboundSignal(
                    clientID: clientID, subject: subject ?? "", intent: intent ?? "other", urgency: urgency ?? "low",
                    receivedAt: Date(timeIntervalSince1970: received))
            }
        }
    }

    // MARK: - Rows

    /// `InboundEmailRepository.columns`: the raw bytes' length, not the bytes.
    static let columns = """
        id, message_id, client_id, "match", confidence, status, failure, received_at, thread_id, from_address, \
        subject, COALESCE(octet_length(raw), 0)::bigint, analysis, activity_id, draft_id, direction, contact_id, \
        matched_address, candidates, match_reason, ingested_at, message, analysis_prompt, analysis_note, draft_note
        """

    /// An entry from a row of `columns`, with the ids of the tasks its action items made.
    static func entry(_ session: PostgresSession, _ row: PostgresRow) throws -> EmailIntakeEntry {
        let cells = row.makeRandomAccess()
        let messageID = try cells[1].decode(String.self)
        let pattern = EmailIntakeEntry.taskPattern(messageID: messageID)
        let taskIDs = try session.query(
            """
            SELECT id FROM tasks WHERE external_id LIKE \(pattern) ESCAPE '\\' ORDER BY id
            """, doing: "reading the tasks of email \(messageID)"
        ).rows.map { try $0.decode(Int64.self) }
        let rawStatus = try cells[5].decode(String.self)
        guard let status = EmailIntakeStatus(rawValue: rawStatus) else {
            throw StoreError(
                .invalidValue,
                "inbound_emails.status holds '\(rawStatus)', which this kam does not know; upgrade kam or fix the row")
        }
        func text(_ index: Int) throws -> String? { try cells[index].decode(String?.self) }
        func document<T: Decodable>(_ type: T.Type, _ index: Int) throws -> T? {
            try text(index).map { try DocumentCoding.decode(type, from: $0) }
        }
        return EmailIntakeEntry(
            id: try cells[0].decode(Int64.self), messageID: messageID, status: status, clientID: try text(2),
            match: EmailClientMatch.Method(rawValue: try cells[3].decode(String.self)) ?? .unmatched,
            confidence: try cells[4].decode(Double.self),
            direction: try text(15).flatMap(ActivityDirection.init(rawValue:)), matchedAddress: try text(17),
            candidates: try document([String].self, 18) ?? [], matchReason: try text(19),
            receivedAt: Date(timeIntervalSince1970: try cells[7].decode(Double.self)),
            ingestedAt: try cells[20].decode(Double?.self).map(Date.init(timeIntervalSince1970:)),
            threadID: try text(8), from: try text(9), subject: try text(10), failure: try text(6),
            analysis: try document(InboundEmailAnalysis.self, 12), analysisPrompt: try text(22),
            analysisNote: try text(23), activityID: try cells[13].decode(Int64?.self), draftID: try text(14),
            draftNote: try text(24), taskIDs: taskIDs, message: try document(EmailMessage.self, 21),
            rawBytes: Int(try cells[11].decode(Int64.self)))
    }
}
