import Foundation
import KAMCore
import PostgresNIO

/// An import's writes and look-ups in one PostgreSQL session, inside the transaction `PostgresImportTarget` opened:
/// `PostgresClientRecordStore`'s upserts (the ones its conformance suite checks equal to SQLite's), and the look-ups
/// `DatabaseImportSink` makes on SQLite, with SQLite's case rules (emails match in any ASCII case, as its `NOCASE`).
///
/// A value PostgreSQL cannot hold (text with NUL, which SQLite stores) is refused as `StoreError` `.invalidValue`, so
/// the importer names the file and line as it does for any refused record, and the file stores nothing.
struct PostgresImportSink: ImportSink {
    let session: PostgresSession

    private typealias Records = PostgresClientRecordStore

    /// `body`, with a value the server refused as one a record of the file holds.
    private func refusing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresStoreError where error.code == .invalidValue {
            throw StoreError(.invalidValue, error.message, underlying: error)
        }
    }

    func upsertUser(_ user: User) throws -> UpsertOutcome {
        try refusing { try Records.upsertUser(session, user) }
    }

    func userID(idOrEmail reference: String) throws -> String? {
        try refusing {
            try session.query(
                """
                SELECT id FROM users WHERE id = \(reference) OR lower(email) = lower(\(reference)::text COLLATE "C")
                ORDER BY id = \(reference) DESC, id LIMIT 1
                """, doing: "finding user \(reference)"
            ).rows.first?.decode(String.self)
        }
    }

    func hasClient(externalID: String?, id: String) throws -> Bool {
        try refusing {
            try session.query(
                "SELECT 1 FROM clients WHERE external_id = \(externalID) OR id = \(id) LIMIT 1",
                doing: "finding client \(id)"
            ).rows.first != nil
        }
    }

    func client(externalID: String?, id: String) throws -> Client? {
        try refusing {
            try session.query(
                """
                SELECT \(unescaped: PostgresMemoryRows.clientColumns) FROM clients
                WHERE external_id = \(externalID) OR id = \(id)
                ORDER BY (external_id = \(externalID)) IS TRUE DESC LIMIT 1
                """, doing: "reading client \(id)"
            ).rows.first.map(PostgresMemoryRows.client)
        }
    }

    func insertClient(_ client: Client, at now: Date, announcing: Bool) throws {
        try refusing {
            // The import checked that no client has the id or external id; a writer other than an import (which does
            // not take the import's lock) may have added one since: then it is matched as any stored client.
            if try Records.insertClient(session, client, at: now, announcing: announcing) { return }
            try Records.upsertClient(session, client, at: now, announcingCreation: announcing)
        }
    }

    func upsertClient(_ client: Client, at now: Date, announcingLeadMove: Bool, announcingCreation: Bool) throws
        -> (id: String, outcome: UpsertOutcome)
    {
        try refusing {
            try Records.upsertClient(
                session, client, at: now, announcingLeadMove: announcingLeadMove,
                announcingCreation: announcingCreation)
        }
    }

    func hasClients() throws -> Bool {
        try session.query("SELECT 1 FROM clients LIMIT 1", doing: "looking for stored clients").rows.first != nil
    }

    func clients(ids: [String], orDomain domain: String) throws -> [String: ImportedClientName] {
        try refusing {
            var found: [String: ImportedClientName] = [:]
            for row in try session.query(
                "SELECT id, name, domain FROM clients WHERE id = ANY(\(ids)) OR domain = \(domain)",
                doing: "finding the client of \(domain)"
            ).rows {
                let (id, name, storedDomain) = try row.decode((String, String, String?).self)
                found[id] = ImportedClientName(name: name, domain: storedDomain)
            }
            return found
        }
    }

    func client(id: String) throws -> ImportedClientName? {
        try refusing {
            try session.query("SELECT name, domain FROM clients WHERE id = \(id)", doing: "reading client \(id)")
                .rows.first.map { try $0.decode((String, String?).self) }
                .map { ImportedClientName(name: $0.0, domain: $0.1) }
        }
    }

    func upsertContact(_ contact: Contact, at now: Date, announcingCreation: Bool) throws
        -> (id: Int64, outcome: UpsertOutcome)
    {
        try refusing { try Records.upsertContact(session, contact, at: now, announcingCreation: announcingCreation) }
    }

    func contactID(clientID: String, idOrEmail reference: String) throws -> Int64? {
        try refusing {
            try Records.insertedID(
                session,
                """
                SELECT id FROM contacts WHERE client_id = \(clientID)
                    AND (external_id = \(reference) OR lower(email) = lower(\(reference)::text COLLATE "C"))
                ORDER BY id LIMIT 1
                """, doing: "finding contact \(reference) of \(clientID)")
        }
    }

    func contactCount(clientID: String, emailDomain domain: String) throws -> Int {
        try refusing {
            // As SQLite's LIKE: ASCII letters in any case, the domain's own `%`, `_` and `\` taken literally.
            let escaped = domain.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            let count = try session.query(
                """
                SELECT COUNT(*) FROM contacts WHERE client_id = \(clientID)
                    AND (email COLLATE "C" ILIKE \("%@" + escaped) OR email COLLATE "C" ILIKE \("%." + escaped))
                """, doing: "counting the contacts of \(clientID) at \(domain)"
            ).rows.first?.decode(Int64.self)
            return Int(count ?? 0)
        }
    }

    func upsertActivity(_ activity: Activity, at now: Date, announcingCreation: Bool) throws
        -> (id: Int64, outcome: UpsertOutcome)
    {
        try refusing { try Records.upsertActivity(session, activity, at: now, announcingCreation: announcingCreation) }
    }

    func upsertActivities(_ activities: [Activity], at now: Date, announcingCreation: Bool) throws
        -> [(id: Int64, outcome: UpsertOutcome)]
    {
        let externalIDs = activities.compactMap(\.externalID)
        // One at a time when the batch would change what happens: an external id twice (the second updates the first).
        guard activities.count > 1, Set(externalIDs).count == externalIDs.count else {
            return try activities.map { try upsertActivity($0, at: now, announcingCreation: announcingCreation) }
        }
        return try refusing {
            try Records.upsertActivities(session, activities, at: now, announcingCreation: announcingCreation)
        }
    }

    func upsertDeal(_ deal: Deal, at now: Date) throws -> (id: Int64, outcome: UpsertOutcome) {
        try refusing { try Records.upsertDeal(session, deal, at: now) }
    }

    func upsertTask(_ task: ClientTask, at now: Date, announcingCreation: Bool) throws
        -> (id: Int64, outcome: UpsertOutcome)
    {
        try refusing { try Records.upsertTask(session, task, at: now, announcingCreation: announcingCreation) }
    }

    func upsertOrder(_ order: Order, at now: Date) throws -> (id: Int64, outcome: UpsertOutcome) {
        try refusing { try Records.upsertOrder(session, order, at: now) }
    }

    func upsertMemory(_ item: MemoryItem, announcingCreation: Bool) throws -> (id: Int64, outcome: UpsertOutcome) {
        try refusing { try Records.upsertMemory(session, item, announcingCreation: announcingCreation) }
    }

    func append(_ event: DomainEvent) throws {
        try refusing { _ = try PostgresEventLog.append(session, event) }
    }
}
