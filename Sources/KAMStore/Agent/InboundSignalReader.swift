import Foundation
import GRDB
import KAMCore

/// Reads the analysed intent of recent inbound emails for the daily plan.
public struct InboundSignalReader: Sendable {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    public func signals(since: Date) throws -> [InboundSignal] {
        try store.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT client_id, subject, received_at, json_extract(analysis, '$.intent') AS intent,
                      json_extract(analysis, '$.urgency') AS urgency
                    FROM inbound_emails
                    WHERE client_id IS NOT NULL AND analysis IS NOT NULL AND received_at >= ?
                    ORDER BY received_at DESC
                    """, arguments: [since.timeIntervalSince1970]
            ).map { row in
                InboundSignal(
                    clientID: row["client_id"], subject: row["subject"] ?? "", intent: row["intent"] ?? "other",
                    urgency: row["urgency"] ?? "low", receivedAt: Date(timeIntervalSince1970: row["received_at"]))
            }
        }
    }
}
