import Foundation
import KAMCore
import PostgresNIO

/// Decoding of the domain types from rows of the client memory tables on PostgreSQL.
///
/// The sibling of KAMStore's `ClientRecords+Rows.swift`, over PostgresNIO's rows: each type is read by position
/// from a row selected with its column list, as one typed tuple (`PostgresRow.decode`), then built. The two are
/// kept apart rather than made generic over one row protocol: SQLite's mappers read GRDB rows on the context path
/// of every request, where a protocol witness a column (unspecialised across modules) would cost more than these
/// few initialiser calls are worth sharing; the enumerations' checks and the column lists are the same.
enum PostgresMemoryRows {
    static let clientColumns = """
        id, name, external_id, industry, tier, monthly_budget, currency, owner_id, domain, consent_ai_analysis, \
        consent_training, lifecycle, lead_status, renewal_date, created_at, updated_at
        """
    static let clientColumnCount = clientColumns.split(separator: ",").count
    static let userColumns = "id, name, email, team"
    static let contactColumns = "id, client_id, external_id, name, email, phone, title, role"
    static let activityColumns =
        "id, client_id, contact_id, external_id, kind, direction, occurred_at, subject, body, sentiment"
    static let dealColumns =
        "id, client_id, external_id, name, stage, amount, currency, close_date, probability, stage_entered_at"
    static let taskColumns = "id, client_id, external_id, title, due, status, priority, assignee"
    static let orderColumns = "id, client_id, external_id, product, quantity, amount, currency, ordered_at, status"
    static let memoryColumns = "id, client_id, kind, key, value, source, confidence, updated_at"
    static let ticketColumns = """
        id, client_id, contact_id, external_id, channel, requester, organization, subject, body, status, priority, tags, \
        created_at, updated_at, link, analysis, reply_draft_id
        """

    static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    static func client(_ row: PostgresRow) throws -> Client {
        let (
            id, name, externalID, industry, tier, monthlyBudget, currency, ownerID, domain, consentAI, consentTraining,
            lifecycle, leadStatus, renewal, created, updated
        ) = try row.decode(
            (
                String, String, String?, String?, String, Double?, String, String?, String?, Bool, Bool, String, String,
                Double?, Double, Double
            ).self)
        return Client(
            id: id, name: name, externalID: externalID, industry: industry,
            tier: try PostgresColumn.enumValue(tier, "tier", table: "clients"), monthlyBudget: monthlyBudget, currency: currency,
            ownerID: ownerID, domain: domain, consentAIAnalysis: consentAI, consentTraining: consentTraining,
            lifecycle: try PostgresColumn.enumValue(lifecycle, "lifecycle", table: "clients"),
            leadStatus: try PostgresColumn.enumValue(leadStatus, "lead_status", table: "clients"),
            renewalDate: renewal.map(date), createdAt: date(created), updatedAt: date(updated))
    }

    static func user(_ row: PostgresRow) throws -> User {
        let (id, name, email, team) = try row.decode((String, String, String, String?).self)
        return User(id: id, name: name, email: email, team: team)
    }

    /// From a row of `PostgresSnapshotQueries.Head`: the owner (the user's columns after the client's, NULL when the
    /// client has none) and the time of the last activity.
    static func ownerAndLastInteraction(_ row: PostgresRow) throws -> (owner: User?, last: Double?) {
        let cells = row.makeRandomAccess()
        let first = clientColumnCount
        let owner = try cells[first].decode(String?.self).map { id in
            User(
                id: id, name: try cells[first + 1].decode(String.self), email: try cells[first + 2].decode(String.self),
                team: try cells[first + 3].decode(String?.self))
        }
        return (owner, try cells[first + 4].decode(Double?.self))
    }

    /// From a row of `PostgresSnapshotQueries.Head`: the parts of the snapshot that may have rows.
    static func sections(_ row: PostgresRow) throws -> Set<PostgresSnapshotQueries.Section> {
        let cells = row.makeRandomAccess()
        let first = clientColumnCount + 5
        return Set(try PostgresSnapshotQueries.Section.allCases.filter { try cells[first + $0.rawValue].decode(Bool.self) })
    }

    static func contact(_ row: PostgresRow) throws -> Contact {
        let (id, clientID, externalID, name, email, phone, title, role) = try row.decode(
            (Int64, String, String?, String, String?, String?, String?, String).self)
        return Contact(
            id: id, clientID: clientID, externalID: externalID, name: name, email: email, phone: phone, title: title,
            role: try PostgresColumn.enumValue(role, "role", table: "contacts"))
    }

    static func activity(_ row: PostgresRow) throws -> Activity {
        let (id, clientID, contactID, externalID, kind, direction, occurred, subject, body, sentiment) = try row.decode(
            (Int64, String, Int64?, String?, String, String, Double, String?, String?, Double?).self)
        return Activity(
            id: id, clientID: clientID, contactID: contactID, externalID: externalID,
            kind: try PostgresColumn.enumValue(kind, "kind", table: "activities"),
            direction: try PostgresColumn.enumValue(direction, "direction", table: "activities"), occurredAt: date(occurred),
            subject: subject, body: body, sentiment: sentiment)
    }

    /// A deal's id and the deal, given its stage history.
    static func deal(_ row: PostgresRow, history: (Int64) -> [DealStageChange]) throws -> Deal {
        let (id, clientID, externalID, name, stage, amount, currency, close, probability, entered) = try row.decode(
            (Int64, String, String?, String, String, Double, String, Double?, Double, Double).self)
        return Deal(
            id: id, clientID: clientID, externalID: externalID, name: name,
            stage: try PostgresColumn.enumValue(stage, "stage", table: "deals"), amount: amount, currency: currency,
            closeDate: close.map(date), probability: probability, stageEnteredAt: date(entered), history: history(id))
    }

    /// A row of (deal id, stage, entered at, user id).
    static func stageChange(_ row: PostgresRow) throws -> (dealID: Int64, change: DealStageChange) {
        let (dealID, stage, entered, by) = try row.decode((Int64, String, Double, String?).self)
        return (
            dealID,
            DealStageChange(
                stage: try PostgresColumn.enumValue(stage, "stage", table: "deal_stage_history"), enteredAt: date(entered), by: by)
        )
    }

    static func task(_ row: PostgresRow) throws -> ClientTask {
        let (id, clientID, externalID, title, due, status, priority, assignee) = try row.decode(
            (Int64, String, String?, String, Double?, String, String, String?).self)
        return ClientTask(
            id: id, clientID: clientID, externalID: externalID, title: title, due: due.map(date),
            status: try PostgresColumn.enumValue(status, "status", table: "tasks"),
            priority: try PostgresColumn.enumValue(priority, "priority", table: "tasks"), assignee: assignee)
    }

    static func order(_ row: PostgresRow) throws -> Order {
        let (id, clientID, externalID, product, quantity, amount, currency, ordered, status) = try row.decode(
            (Int64, String, String?, String, Int, Double, String, Double, String).self)
        return Order(
            id: id, clientID: clientID, externalID: externalID, product: product, quantity: quantity, amount: amount,
            currency: currency, orderedAt: date(ordered), status: status)
    }

    static func memory(_ row: PostgresRow) throws -> MemoryItem {
        let (id, clientID, kind, key, value, source, confidence, updated) = try row.decode(
            (Int64, String, String, String, String, String, Double, Double).self)
        return MemoryItem(
            id: id, clientID: clientID, kind: try PostgresColumn.enumValue(kind, "kind", table: "client_memory"), key: key,
            value: value, source: source, confidence: confidence, updatedAt: date(updated))
    }

    static func ticket(_ row: PostgresRow) throws -> SupportTicket {
        let (
            id, clientID, contactID, externalID, channel, requester, organization, subject, body, status, priority, tags,
            created, updated, link, analysis, replyDraftID
        ) = try row.decode(
            (
                Int64, String?, Int64?, String?, String, String?, String?, String, String, String, String, String,
                Double, Double, String?, String?, String?
            ).self)
        return SupportTicket(
            id: id, clientID: clientID, contactID: contactID, externalID: externalID,
            channel: try PostgresColumn.enumValue(channel, "channel", table: "support_tickets"), requester: requester,
            organization: organization, subject: subject, body: body,
            status: try PostgresColumn.enumValue(status, "status", table: "support_tickets"),
            priority: try PostgresColumn.enumValue(priority, "priority", table: "support_tickets"),
            tags: try document([String].self, tags), createdAt: date(created), updatedAt: date(updated), link: link,
            analysis: try analysis.map { try document(TicketAnalysis.self, $0) }, replyDraftID: replyDraftID)
    }

    /// A row of (campaign id, sent at, contact's role, opens, clicks, replied, clicked URLs one a line).
    static func campaignTouch(_ row: PostgresRow) throws -> CampaignTouch {
        let (campaignID, sentAt, role, opens, clicks, replied, urls) = try row.decode(
            (Int64, Double, String?, Int64, Int64, Bool, String?).self)
        return CampaignTouch(
            campaignID: campaignID, sentAt: date(sentAt), decisionMaker: role == ContactRole.decisionMaker.rawValue,
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
