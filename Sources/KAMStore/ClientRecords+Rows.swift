import Foundation
import GRDB
import KAMCore

/// Decoding of the domain types from rows of the foundation tables.
extension ClientRecords {
    static func date(_ row: Row, _ column: String) -> Date {
        Date(timeIntervalSince1970: row[column] as Double)
    }

    static func optionalDate(_ row: Row, _ column: String) -> Date? {
        (row[column] as Double?).map(Date.init(timeIntervalSince1970:))
    }

    static func enumValue<E: RawRepresentable>(_ row: Row, _ column: String, table: String) throws -> E
    where E.RawValue == String {
        let raw: String = row[column]
        guard let value = E(rawValue: raw) else {
            throw StoreError(
                .invalidValue,
                "\(table).\(column) holds '\(raw)', which this kam does not know; upgrade kam or fix the row"
            )
        }
        return value
    }

    static func client(_ row: Row) throws -> Client {
        Client(
            id: row["id"], name: row["name"], externalID: row["external_id"], industry: row["industry"],
            tier: try enumValue(row, "tier", table: "clients"), monthlyBudget: row["monthly_budget"],
            currency: row["currency"], ownerID: row["owner_id"], domain: row["domain"],
            consentAIAnalysis: row["consent_ai_analysis"], consentTraining: row["consent_training"],
            lifecycle: try enumValue(row, "lifecycle", table: "clients"),
            leadStatus: try enumValue(row, "lead_status", table: "clients"),
            renewalDate: optionalDate(row, "renewal_date"),
            createdAt: date(row, "created_at"), updatedAt: date(row, "updated_at")
        )
    }

    static func user(_ row: Row) -> User {
        User(id: row["id"], name: row["name"], email: row["email"], team: row["team"])
    }

    static func contact(_ row: Row) throws -> Contact {
        Contact(
            id: row["id"], clientID: row["client_id"], externalID: row["external_id"], name: row["name"],
            email: row["email"], phone: row["phone"], title: row["title"],
            role: try enumValue(row, "role", table: "contacts")
        )
    }

    static func activity(_ row: Row) throws -> Activity {
        Activity(
            id: row["id"], clientID: row["client_id"], contactID: row["contact_id"], externalID: row["external_id"],
            kind: try enumValue(row, "kind", table: "activities"),
            direction: try enumValue(row, "direction", table: "activities"),
            occurredAt: date(row, "occurred_at"), subject: row["subject"], body: row["body"],
            sentiment: row["sentiment"]
        )
    }

    static func deal(_ row: Row, history: [DealStageChange]) throws -> Deal {
        Deal(
            id: row["id"], clientID: row["client_id"], externalID: row["external_id"], name: row["name"],
            stage: try enumValue(row, "stage", table: "deals"), amount: row["amount"], currency: row["currency"],
            closeDate: optionalDate(row, "close_date"), probability: row["probability"],
            stageEnteredAt: date(row, "stage_entered_at"), history: history
        )
    }

    static func task(_ row: Row) throws -> ClientTask {
        ClientTask(
            id: row["id"], clientID: row["client_id"], externalID: row["external_id"], title: row["title"],
            due: optionalDate(row, "due"), status: try enumValue(row, "status", table: "tasks"),
            priority: try enumValue(row, "priority", table: "tasks"), assignee: row["assignee"]
        )
    }

    static func order(_ row: Row) -> Order {
        Order(
            id: row["id"], clientID: row["client_id"], externalID: row["external_id"], product: row["product"],
            quantity: row["quantity"], amount: row["amount"], currency: row["currency"],
            orderedAt: date(row, "ordered_at"), status: row["status"]
        )
    }

    static func memory(_ row: Row) throws -> MemoryItem {
        MemoryItem(
            id: row["id"], clientID: row["client_id"], kind: try enumValue(row, "kind", table: "client_memory"),
            key: row["key"], value: row["value"], source: row["source"], confidence: row["confidence"],
            updatedAt: date(row, "updated_at")
        )
    }
}
