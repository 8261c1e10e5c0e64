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

    func insertClients(_ clients: [Client], at now: Date, announcing: Bool) throws {
        let together = ImportBatch.together(clients, key: \.id, keyless: false) { c in
            ![c.id, c.name, c.externalID, c.industry, c.currency, c.ownerID, c.domain].contains { $0?.utf8.contains(0) ?? false }
        }
        guard together else {
            _ = try ImportBatch.each(clients) { try insertClient($0, at: now, announcing: announcing) }
            return
        }
        try refusing {
            let inserted = try Records.insertClients(session, clients)
            for client in clients {
                if inserted.contains(client.id) {
                    if announcing { try PostgresEventLog.append(session, .clientCreated(client, at: now)) }
                } else {
                    // Added since the import's check by a writer other than an import: matched as any stored client.
                    try Records.upsertClient(session, client, at: now, announcingCreation: announcing)
                }
            }
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

    func upsertContacts(_ contacts: [Contact], at now: Date, announcingCreation: Bool) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try batched(
            contacts, key: \.externalID, keyless: false,
            texts: { [$0.clientID, $0.externalID, $0.name, $0.email, $0.phone, $0.title] }
        ) {
            try Records.upsertContacts(session, $0, at: now, announcingCreation: announcingCreation)
        } one: {
            try Records.upsertContact(session, $0, at: now, announcingCreation: announcingCreation)
        }
    }

    func upsertActivities(_ activities: [Activity], at now: Date, announcingCreation: Bool) throws
        -> [(id: Int64, outcome: UpsertOutcome)]
    {
        // An activity without an external id cannot conflict: the batch gives it the next identity value in turn.
        try batched(activities, key: \.externalID, keyless: true, texts: { [$0.externalID, $0.subject, $0.body, $0.clientID] }) {
            try Records.upsertActivities(session, $0, at: now, announcingCreation: announcingCreation)
        } one: {
            try Records.upsertActivity(session, $0, at: now, announcingCreation: announcingCreation)
        }
    }

    func upsertTasks(_ tasks: [ClientTask], at now: Date, announcingCreation: Bool) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try batched(tasks, key: \.externalID, keyless: false, texts: { [$0.externalID, $0.title, $0.assignee, $0.clientID] }) {
            try Records.upsertTasks(session, $0, at: now, announcingCreation: announcingCreation)
        } one: {
            try Records.upsertTask(session, $0, at: now, announcingCreation: announcingCreation)
        }
    }

    func upsertMemories(_ items: [MemoryItem], announcingCreation: Bool) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try batched(
            items, key: { "\($0.clientID)\u{0}\($0.key)" }, keyless: false, texts: { [$0.clientID, $0.key, $0.value, $0.source] }
        ) {
            try Records.upsertMemories(session, $0, announcingCreation: announcingCreation)
        } one: {
            try Records.upsertMemory(session, $0, announcingCreation: announcingCreation)
        }
    }

    /// `many` when the records can go in together (`ImportBatch.together`) and none holds text with NUL (the server
    /// refuses the whole statement for it, and one at a time names the record); else `one` for each in turn.
    private func batched<Record>(
        _ records: [Record], key: (Record) -> String?, keyless: Bool, texts: (Record) -> [String?],
        many: ([Record]) throws -> [(id: Int64, outcome: UpsertOutcome)],
        one: (Record) throws -> (id: Int64, outcome: UpsertOutcome)
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        let together = ImportBatch.together(records, key: key, keyless: keyless) { record in
            !texts(record).contains { $0?.utf8.contains(0) ?? false }
        }
        guard together else { return try ImportBatch.each(records) { record in try refusing { try one(record) } } }
        return try refusing { try many(records) }
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

    func append(_ events: [DomainEvent]) throws {
        try refusing { try PostgresEventLog.append(session, events) }
    }
}
