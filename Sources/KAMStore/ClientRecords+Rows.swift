import Foundation
import GRDB
import KAMCore

/// Decoding of the domain types from rows of the foundation tables.
///
/// Each type is read by column position from a row selected with its column list (`clientColumns`, ...), not by
/// name: GRDB finds a column by name with a case-insensitive search, which cost more than the rest of the mapping
/// on the context path. A query whose rows go through one of these mappers selects exactly that list.
extension ClientRecords {
    /// The columns `client(_:)` reads, in its order.
    public static let clientColumns = """
        id, name, external_id, industry, tier, monthly_budget, currency, owner_id, domain, consent_ai_analysis, \
        consent_training, lifecycle, lead_status, renewal_date, created_at, updated_at
        """
    /// The columns `user(_:)` reads, in its order.
    public static let userColumns = "id, name, email, team"
    /// The columns `contact(_:)` reads, in its order.
    public static let contactColumns = "id, client_id, external_id, name, email, phone, title, role"
    /// The columns `activity(_:)` reads, in its order.
    public static let activityColumns =
        "id, client_id, contact_id, external_id, kind, direction, occurred_at, subject, body, sentiment"
    /// The columns `deal(_:history:)` reads, in its order.
    public static let dealColumns =
        "id, client_id, external_id, name, stage, amount, currency, close_date, probability, stage_entered_at"
    /// The columns `task(_:)` reads, in its order.
    public static let taskColumns = "id, client_id, external_id, title, due, status, priority, assignee"
    /// The columns `order(_:)` reads, in its order.
    public static let orderColumns = "id, client_id, external_id, product, quantity, amount, currency, ordered_at, status"
    /// The columns `memory(_:)` reads, in its order.
    public static let memoryColumns = "id, client_id, kind, key, value, source, confidence, updated_at"

    static func date(_ row: Row, _ index: Int) -> Date {
        Date(timeIntervalSince1970: row[index] as Double)
    }

    static func optionalDate(_ row: Row, _ index: Int) -> Date? {
        (row[index] as Double?).map(Date.init(timeIntervalSince1970:))
    }

    /// The enumeration value in column `index`; `column` and `table` name it in the error.
    static func enumValue<E: RawRepresentable>(_ row: Row, _ index: Int, _ column: String, table: String) throws -> E
    where E.RawValue == String {
        let raw: String = row[index]
        guard let value = E(rawValue: raw) else {
            throw StoreError(
                .invalidValue,
                "\(table).\(column) holds '\(raw)', which this kam does not know; upgrade kam or fix the row"
            )
        }
        return value
    }

    /// A client from a row of `clientColumns`.
    static func client(_ row: Row) throws -> Client {
        Client(
            id: row[0], name: row[1], externalID: row[2], industry: row[3],
            tier: try enumValue(row, 4, "tier", table: "clients"), monthlyBudget: row[5],
            currency: row[6], ownerID: row[7], domain: row[8],
            consentAIAnalysis: row[9], consentTraining: row[10],
            lifecycle: try enumValue(row, 11, "lifecycle", table: "clients"),
            leadStatus: try enumValue(row, 12, "lead_status", table: "clients"),
            renewalDate: optionalDate(row, 13),
            createdAt: date(row, 14), updatedAt: date(row, 15)
        )
    }

    /// A user from a row of `userColumns`.
    static func user(_ row: Row) -> User {
        User(id: row[0], name: row[1], email: row[2], team: row[3])
    }

    /// A contact from a row of `contactColumns`.
    static func contact(_ row: Row) throws -> Contact {
        Contact(
            id: row[0], clientID: row[1], externalID: row[2], name: row[3],
            email: row[4], phone: row[5], title: row[6],
            role: try enumValue(row, 7, "role", table: "contacts")
        )
    }

    /// An activity from a row of `activityColumns`.
    static func activity(_ row: Row) throws -> Activity {
        Activity(
            id: row[0], clientID: row[1], contactID: row[2], externalID: row[3],
            kind: try enumValue(row, 4, "kind", table: "activities"),
            direction: try enumValue(row, 5, "direction", table: "activities"),
            occurredAt: date(row, 6), subject: row[7], body: row[8],
            sentiment: row[9]
        )
    }

    /// A deal from a row of `dealColumns` and its stage history.
    static func deal(_ row: Row, history: [DealStageChange]) throws -> Deal {
        Deal(
            id: row[0], clientID: row[1], externalID: row[2], name: row[3],
            stage: try enumValue(row, 4, "stage", table: "deals"), amount: row[5], currency: row[6],
            closeDate: optionalDate(row, 7), probability: row[8],
            stageEnteredAt: date(row, 9), history: history
        )
    }

    /// A task from a row of `taskColumns`.
    static func task(_ row: Row) throws -> ClientTask {
        ClientTask(
            id: row[0], clientID: row[1], externalID: row[2], title: row[3],
            due: optionalDate(row, 4), status: try enumValue(row, 5, "status", table: "tasks"),
            priority: try enumValue(row, 6, "priority", table: "tasks"), assignee: row[7]
        )
    }

    /// An order from a row of `orderColumns`.
    static func order(_ row: Row) -> Order {
        Order(
            id: row[0], clientID: row[1], externalID: row[2], product: row[3],
            quantity: row[4], amount: row[5], currency: row[6],
            orderedAt: date(row, 7), status: row[8]
        )
    }

    /// A memory item from a row of `memoryColumns`.
    static func memory(_ row: Row) throws -> MemoryItem {
        MemoryItem(
            id: row[0], clientID: row[1], kind: try enumValue(row, 2, "kind", table: "client_memory"),
            key: row[3], value: row[4], source: row[5], confidence: row[6],
            updatedAt: date(row, 7)
        )
    }
}
