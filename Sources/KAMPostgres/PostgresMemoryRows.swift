import Foundation
import KAMCore
import PostgresNIO

/// Decoding of the domain types from rows of the client memory tables on PostgreSQL.
///
/// The sibling of KAMStore's `ClientRecords+Rows.swift`, over PostgresNIO's rows: each type is read by position
/// (`PostgresCells`) from a row selected with its column list, from the row's start or from the type's place in a
/// snapshot's wider row (`PostgresSnapshotQueries`), then built. The two are kept apart rather than made generic over
/// one row protocol: SQLite's mappers read GRDB rows on the context path of every request, where a protocol witness a
/// column (unspecialised across modules) would cost more than these few initialiser calls are worth sharing; the
/// enumerations' checks and the column lists are the same.
enum PostgresMemoryRows {
    /// A table's columns as KAM selects them, in order, each with its SQL type: the type the other parts of a
    /// snapshot's one statement give their NULLs in its place.
    typealias Columns = KeyValuePairs<String, String>

    static let client: Columns = [
        "id": "text", "name": "text", "external_id": "text", "industry": "text", "tier": "text",
        "monthly_budget": "float8", "currency": "text", "owner_id": "text", "domain": "text",
        "consent_ai_analysis": "boolean", "consent_training": "boolean", "lifecycle": "text", "lead_status": "text",
        "renewal_date": "float8", "created_at": "float8", "updated_at": "float8",
    ]
    static let user: Columns = ["id": "text", "name": "text", "email": "text", "team": "text"]
    static let contact: Columns = [
        "id": "bigint", "client_id": "text", "external_id": "text", "name": "text", "email": "text", "phone": "text",
        "title": "text", "role": "text",
    ]
    static let activity: Columns = [
        "id": "bigint", "client_id": "text", "contact_id": "bigint", "external_id": "text", "kind": "text",
        "direction": "text", "occurred_at": "float8", "subject": "text", "body": "text", "sentiment": "float8",
    ]
    static let deal: Columns = [
        "id": "bigint", "client_id": "text", "external_id": "text", "name": "text", "stage": "text", "amount": "float8",
        "currency": "text", "close_date": "float8", "probability": "float8", "stage_entered_at": "float8",
    ]
    static let task: Columns = [
        "id": "bigint", "client_id": "text", "external_id": "text", "title": "text", "due": "float8", "status": "text",
        "priority": "text", "assignee": "text",
    ]
    static let order: Columns = [
        "id": "bigint", "client_id": "text", "external_id": "text", "product": "text", "quantity": "bigint",
        "amount": "float8", "currency": "text", "ordered_at": "float8", "status": "text",
    ]
    static let memory: Columns = [
        "id": "bigint", "client_id": "text", "kind": "text", "key": "text", "value": "text", "source": "text",
        "confidence": "float8", "updated_at": "float8",
    ]
    static let ticket: Columns = [
        "id": "bigint", "client_id": "text", "contact_id": "bigint", "external_id": "text", "channel": "text",
        "requester": "text", "organization": "text", "subject": "text", "body": "text", "status": "text",
        "priority": "text", "tags": "text", "created_at": "float8", "updated_at": "float8", "link": "text",
        "analysis": "text", "reply_draft_id": "text",
    ]

    /// `columns`' names as a select list.
    static func names(_ columns: Columns) -> String { columns.map(\.key).joined(separator: ", ") }

    static let clientColumns = names(client)
    static let userColumns = names(user)
    static let contactColumns = names(contact)
    static let activityColumns = names(activity)
    static let dealColumns = names(deal)
    static let taskColumns = names(task)
    static let orderColumns = names(order)
    static let memoryColumns = names(memory)
    static let ticketColumns = names(ticket)

    static func client(_ row: PostgresRow) throws -> Client {
        var cells = PostgresCells(row)
        return try client(&cells)
    }

    static func client(_ cells: inout PostgresCells) throws -> Client {
        let table = "clients"
        return Client(
            id: try cells.next(), name: try cells.next(), externalID: try cells.next(), industry: try cells.next(),
            tier: try cells.value("tier", table: table), monthlyBudget: try cells.next(), currency: try cells.next(),
            ownerID: try cells.next(), domain: try cells.next(), consentAIAnalysis: try cells.next(),
            consentTraining: try cells.next(), lifecycle: try cells.value("lifecycle", table: table),
            leadStatus: try cells.value("lead_status", table: table), renewalDate: try cells.optionalDate(),
            createdAt: try cells.date(), updatedAt: try cells.date())
    }

    static func user(_ row: PostgresRow) throws -> User {
        var cells = PostgresCells(row)
        return User(id: try cells.next(), name: try cells.next(), email: try cells.next(), team: try cells.next())
    }

    /// A user whose columns may all be NULL (a left join that found none): nil then.
    static func optionalUser(_ cells: inout PostgresCells) throws -> User? {
        let (id, name, email, team) = (
            try cells.next(String?.self), try cells.next(String?.self), try cells.next(String?.self),
            try cells.next(String?.self)
        )
        guard let id, let name, let email else { return nil }
        return User(id: id, name: name, email: email, team: team)
    }

    static func contact(_ row: PostgresRow) throws -> Contact {
        var cells = PostgresCells(row)
        return try contact(&cells)
    }

    static func contact(_ cells: inout PostgresCells) throws -> Contact {
        Contact(
            id: try cells.next(), clientID: try cells.next(), externalID: try cells.next(), name: try cells.next(),
            email: try cells.next(), phone: try cells.next(), title: try cells.next(),
            role: try cells.value("role", table: "contacts"))
    }

    static func activity(_ row: PostgresRow) throws -> Activity {
        var cells = PostgresCells(row)
        return try activity(&cells)
    }

    static func activity(_ cells: inout PostgresCells) throws -> Activity {
        Activity(
            id: try cells.next(), clientID: try cells.next(), contactID: try cells.next(), externalID: try cells.next(),
            kind: try cells.value("kind", table: "activities"), direction: try cells.value("direction", table: "activities"),
            occurredAt: try cells.date(), subject: try cells.next(), body: try cells.next(), sentiment: try cells.next())
    }

    /// A deal, given its stage history.
    static func deal(_ row: PostgresRow, history: (Int64) -> [DealStageChange]) throws -> Deal {
        var cells = PostgresCells(row)
        return try deal(&cells, history: history)
    }

    static func deal(_ cells: inout PostgresCells, history: (Int64) -> [DealStageChange]) throws -> Deal {
        let id = try cells.next(Int64.self)
        return Deal(
            id: id, clientID: try cells.next(), externalID: try cells.next(), name: try cells.next(),
            stage: try cells.value("stage", table: "deals"), amount: try cells.next(), currency: try cells.next(),
            closeDate: try cells.optionalDate(), probability: try cells.next(), stageEnteredAt: try cells.date(),
            history: history(id))
    }

    /// The columns of a row of (deal id, stage, entered at, user id), from `deal_stage_history h`.
    static let stageChange: Columns = [
        "h.deal_id": "bigint", "h.stage": "text", "h.entered_at": "float8", "h.user_id": "text",
    ]

    static func stageChange(_ row: PostgresRow) throws -> (dealID: Int64, change: DealStageChange) {
        var cells = PostgresCells(row)
        return try stageChange(&cells)
    }

    static func stageChange(_ cells: inout PostgresCells) throws -> (dealID: Int64, change: DealStageChange) {
        (
            try cells.next(),
            DealStageChange(
                stage: try cells.value("stage", table: "deal_stage_history"), enteredAt: try cells.date(),
                by: try cells.next())
        )
    }

    static func task(_ row: PostgresRow) throws -> ClientTask {
        var cells = PostgresCells(row)
        return try task(&cells)
    }

    static func task(_ cells: inout PostgresCells) throws -> ClientTask {
        ClientTask(
            id: try cells.next(), clientID: try cells.next(), externalID: try cells.next(), title: try cells.next(),
            due: try cells.optionalDate(), status: try cells.value("status", table: "tasks"),
            priority: try cells.value("priority", table: "tasks"), assignee: try cells.next())
    }

    static func order(_ cells: inout PostgresCells) throws -> Order {
        Order(
            id: try cells.next(), clientID: try cells.next(), externalID: try cells.next(), product: try cells.next(),
            quantity: try cells.next(), amount: try cells.next(), currency: try cells.next(), orderedAt: try cells.date(),
            status: try cells.next())
    }

    static func memory(_ row: PostgresRow) throws -> MemoryItem {
        var cells = PostgresCells(row)
        return try memory(&cells)
    }

    static func memory(_ cells: inout PostgresCells) throws -> MemoryItem {
        MemoryItem(
            id: try cells.next(), clientID: try cells.next(), kind: try cells.value("kind", table: "client_memory"),
            key: try cells.next(), value: try cells.next(), source: try cells.next(), confidence: try cells.next(),
            updatedAt: try cells.date())
    }

    static func ticket(_ row: PostgresRow) throws -> SupportTicket {
        var cells = PostgresCells(row)
        return try ticket(&cells)
    }

    static func ticket(_ cells: inout PostgresCells) throws -> SupportTicket {
        let table = "support_tickets"
        return SupportTicket(
            id: try cells.next(), clientID: try cells.next(), contactID: try cells.next(), externalID: try cells.next(),
            channel: try cells.value("channel", table: table), requester: try cells.next(),
            organization: try cells.next(), subject: try cells.next(), body: try cells.next(),
            status: try cells.value("status", table: table), priority: try cells.value("priority", table: table),
            tags: try document([String].self, try cells.next()), createdAt: try cells.date(), updatedAt: try cells.date(),
            link: try cells.next(), analysis: try cells.next(String?.self).map { try document(TicketAnalysis.self, $0) },
            replyDraftID: try cells.next())
    }

    /// The columns of a row of (campaign id, sent at, contact's role, opens, clicks, replied, clicked URLs one a line).
    static let campaignTouch: Columns = [
        "r.campaign_id": "bigint", "c.sent_at": "float8", "k.role": "text", "r.opens": "bigint", "r.clicks": "bigint",
        "r.replied": "boolean", "r.clicked_urls": "text",
    ]

    static func campaignTouch(_ cells: inout PostgresCells) throws -> CampaignTouch {
        let (campaignID, sentAt, role, opens, clicks, replied, urls) = (
            try cells.next(Int64.self), try cells.date(), try cells.next(String?.self), try cells.next(Int64.self),
            try cells.next(Int64.self), try cells.next(Bool.self), try cells.next(String?.self)
        )
        return CampaignTouch(
            campaignID: campaignID, sentAt: sentAt, decisionMaker: role == ContactRole.decisionMaker.rawValue,
            opened: opens > 0 || clicks > 0, clicked: clicks > 0, replied: replied,
            clickedURLs: urls.map { $0.split(separator: "\n").map(String.init) } ?? [])
    }

    /// A JSON document column, decoded as KAMStore's `DocumentCoding` does (dates as Unix seconds).
    static func document<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(type, from: Data(text.utf8))
    }
}
