import Foundation
import GRDB
import KAMCore

/// A lead's source and value (`lead_details`), each write in one transaction with the lead move it makes and its
/// `lead.updated` event.
///
/// For example:
/// ```swift
/// let details = LeadDetails(clientID: "acme", source: .referral, value: 12_000, currency: "EUR", updatedAt: now)
/// try LeadRepository(store: store).save(details, move: nil)
/// try LeadRepository(store: store).details(clientID: "acme")?.source   // .referral
/// ```
public struct LeadRepository: Sendable {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// The details of client `clientID`'s lead, or nil when none were set.
    public func details(clientID: String) throws -> LeadDetails? {
        try store.writer.read { db in try Self.details(db, clientID: clientID) }
    }

    /// Every lead's details, by client id.
    public func allDetails() throws -> [String: LeadDetails] {
        try store.writer.read { db in try Self.allDetails(db) }
    }

    /// Stores `details` in place of the lead's earlier ones and applies `move` (a person's change of status), with a
    /// `lead.updated` event naming the fields that changed, in one transaction.
    ///
    /// - Throws: `StoreError` `.clientNotFound`; `.invalidValue` when the lead was moved meanwhile (the move's `from`
    ///   is no longer its status).
    public func save(_ details: LeadDetails, move: LeadTransition?) throws {
        try store.writer.write { db in
            guard try ClientRecords.clientRow(db, id: details.clientID) != nil else {
                throw StoreError(
                    .clientNotFound, "no client has id '\(details.clientID)'; `kam leads list` shows the leads")
            }
            let before = try Self.details(db, clientID: details.clientID)
            try Self.write(db, details)
            if let move { try HealthRepository.apply(db, move) }
            if let event = DomainEvent.leadUpdated(from: before, to: details) { try EventLog.append(db, event) }
        }
    }

    /// Stores a new client and its lead's details in one transaction (`kam leads create`), with the client's
    /// `client.created` event and, when a detail is set, a `lead.updated`.
    ///
    /// - Throws: `StoreError` `.invalidValue` when a client already has the id or the owner is not a user.
    @discardableResult
    public func add(_ client: Client, details: LeadDetails) throws -> Client {
        try store.writer.write { db in
            if let existing = try ClientRecords.clientRow(db, id: client.id) {
                throw StoreError(
                    .invalidValue,
                    "a client already has id '\(client.id)' (\(existing.name)); change its lead with "
                        + "`kam leads update \(client.id)`, or pass another --id")
            }
            try ClientRecords.upsertClient(db, client, at: details.updatedAt)
            try Self.write(db, details)
            if let event = DomainEvent.leadUpdated(from: nil, to: details) { try EventLog.append(db, event) }
            return client
        }
    }

    /// The lead details of client `clientID` inside a caller's transaction.
    static func details(_ db: Database, clientID: String) throws -> LeadDetails? {
        try db.cachedStatement(sql: "SELECT \(columns) FROM lead_details WHERE client_id = ?")
            .fetchFirst(storing: [clientID]) { Self.details($0) }
    }

    /// Every lead's details inside a caller's transaction, by client id.
    static func allDetails(_ db: Database) throws -> [String: LeadDetails] {
        var all: [String: LeadDetails] = [:]
        try db.cachedStatement(sql: "SELECT \(columns) FROM lead_details").forEachRow(storing: []) { row in
            let details = Self.details(row)
            all[details.clientID] = details
        }
        return all
    }

    /// Replaces the row of `details` (none when it holds nothing).
    static func write(_ db: Database, _ details: LeadDetails) throws {
        guard !details.isEmpty else {
            try db.execute(sql: "DELETE FROM lead_details WHERE client_id = ?", arguments: [details.clientID])
            return
        }
        try db.execute(
            sql: """
                INSERT INTO lead_details (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (client_id) DO UPDATE SET source = excluded.source, source_detail = excluded.source_detail,
                    value = excluded.value, currency = excluded.currency, updated_at = excluded.updated_at,
                    size_band = excluded.size_band, needs = excluded.needs, icp_score = excluded.icp_score,
                    icp_reasons = excluded.icp_reasons
                """,
            arguments: [
                details.clientID, details.source?.rawValue, details.sourceDetail, details.value, details.currency,
                details.updatedAt.timeIntervalSince1970, details.sizeBand?.rawValue,
                try details.needs.map(DocumentCoding.encode), details.icpScore, try details.icpReasons.map(DocumentCoding.encode),
            ])
    }

    static let columns = "client_id, source, source_detail, value, currency, updated_at, size_band, needs, icp_score, icp_reasons"

    /// Lead details from a row of `columns`.
    static func details(_ row: StoredRow) -> LeadDetails {
        LeadDetails(
            clientID: row.text(0) ?? "", source: row.text(1).flatMap(LeadSource.init(rawValue:)), sourceDetail: row.text(2),
            value: row.isNull(3) ? nil : row.double(3), currency: row.text(4),
            sizeBand: row.text(6).flatMap(CompanySize.init(rawValue:)),
            needs: row.text(7).flatMap { try? DocumentCoding.decode([String].self, from: $0) },
            icpScore: row.isNull(8) ? nil : Int(row.int64(8)),
            icpReasons: row.text(9).flatMap { try? DocumentCoding.decode([String].self, from: $0) },
            updatedAt: Date(timeIntervalSince1970: row.double(5)))
    }
}
