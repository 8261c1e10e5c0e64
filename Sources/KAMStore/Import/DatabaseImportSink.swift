import Foundation
import GRDB
import KAMCore

/// An import's writes and look-ups in SQLite, inside the transaction `ClientStore.importing` opened: `ClientRecords`'
/// upserts and cached statements (prepared once a connection, which is what keeps a large CSV file's rows fast).
///
/// A batch of new records (`insertClients`, `upsertContacts`, `upsertActivities`, `upsertTasks`, `upsertMemories`, the
/// events' `append`) goes in `ClientRecords.rowsAStatement` rows a statement (`ClientRecords+Batches`: a statement that
/// meets a stored key or any other refusal is undone and its records written one at a time, as they would be alone),
/// unless it announces its records one by one; then one record at a time. Tried on 2026-12-06 with arrays of boxed values and
/// `RETURNING`, multi-row inserts saved SQLite a fifth of its work but cost more Swift than they saved; with values
/// bound as they come and the ids known without reading them back, they pay (BENCHMARKS.md "CSV import").
struct DatabaseImportSink: ImportSink {
    let db: Database
    /// The statements run for every record, prepared once for the import.
    private let prepared = PreparedWrites()

    init(db: Database) {
        self.db = db
    }

    func upsertUser(_ user: User) throws -> UpsertOutcome {
        try ClientRecords.upsertUser(db, user)
    }

    func userID(idOrEmail reference: String) throws -> String? {
        try db.cachedStatement(sql: "SELECT id FROM users WHERE id = ? OR email = ?")
            .fetchFirst(storing: [reference, reference], { $0.text(0) }) ?? nil
    }

    func hasClient(externalID: String?, id: String) throws -> Bool {
        // A bare existence check through `fetchInt64` costs a fraction of GRDB's `Row` fetch, which only a client
        // already stored needs: most imported clients are new.
        try db.cachedStatement(sql: "SELECT 1 FROM clients WHERE external_id = ? OR id = ? LIMIT 1")
            .fetchInt64(storing: [externalID, id]) != nil
    }

    func client(externalID: String?, id: String) throws -> Client? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT \(ClientRecords.clientColumns) FROM clients WHERE external_id = ? OR id = ?
                    ORDER BY external_id = ? DESC LIMIT 1
                    """),
            arguments: .storing([externalID, id, externalID])
        ).map(ClientRecords.client)
    }

    func insertClient(_ client: Client, at now: Date, announcing: Bool) throws {
        try ClientRecords.insertClient(db, client, at: now, announcing: announcing, prepared: prepared)
    }

    func upsertClient(_ client: Client, at now: Date, announcingLeadMove: Bool, announcingCreation: Bool) throws
        -> (id: String, outcome: UpsertOutcome)
    {
        try ClientRecords.upsertClient(
            db, client, at: now, announcingLeadMove: announcingLeadMove, announcingCreation: announcingCreation)
    }

    func hasClients() throws -> Bool {
        try db.cachedStatement(sql: "SELECT 1 FROM clients LIMIT 1").fetchInt64(storing: []) != nil
    }

    func clients(ids: [String], orDomain domain: String) throws -> [String: ImportedClientName] {
        var found: [String: ImportedClientName] = [:]
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        try db.cachedStatement(sql: "SELECT id, name, domain FROM clients WHERE id IN (\(marks)) OR domain = ?")
            .forEachRow(storing: ids.map { $0 } + [domain]) { row in
                found[row.text(0) ?? ""] = ImportedClientName(name: row.text(1) ?? "", domain: row.text(2))
            }
        return found
    }

    func client(id: String) throws -> ImportedClientName? {
        try db.cachedStatement(sql: "SELECT name, domain FROM clients WHERE id = ?")
            .fetchFirst(storing: [id], { ImportedClientName(name: $0.text(0) ?? "", domain: $0.text(1)) })
    }

    func upsertContact(_ contact: Contact, at now: Date, announcingCreation: Bool) throws
        -> (id: Int64, outcome: UpsertOutcome)
    {
        try ClientRecords.upsertContact(db, contact, at: now, announcingCreation: announcingCreation, prepared: prepared)
    }

    func contactID(clientID: String, idOrEmail reference: String) throws -> Int64? {
        try db.cachedStatement(sql: "SELECT id FROM contacts WHERE client_id = ? AND (external_id = ? OR email = ?)")
            .fetchInt64(storing: [clientID, reference, reference])
    }

    func contactCount(clientID: String, emailDomain domain: String) throws -> Int {
        let escaped = domain.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return try Int.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) FROM contacts WHERE client_id = ? AND (email LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')
                """,
            arguments: [clientID, "%@" + escaped, "%." + escaped]) ?? 0
    }

    func upsertActivity(_ activity: Activity, at now: Date, announcingCreation: Bool) throws
        -> (id: Int64, outcome: UpsertOutcome)
    {
        try ClientRecords.upsertActivity(db, activity, at: now, announcingCreation: announcingCreation, prepared: prepared)
    }

    func upsertDeal(_ deal: Deal, at now: Date) throws -> (id: Int64, outcome: UpsertOutcome) {
        try ClientRecords.upsertDeal(db, deal, at: now)
    }

    func upsertTask(_ task: ClientTask, at now: Date, announcingCreation: Bool) throws
        -> (id: Int64, outcome: UpsertOutcome)
    {
        try ClientRecords.upsertTask(db, task, at: now, announcingCreation: announcingCreation, prepared: prepared)
    }

    func upsertOrder(_ order: Order, at now: Date) throws -> (id: Int64, outcome: UpsertOutcome) {
        try ClientRecords.upsertOrder(db, order, at: now)
    }

    func upsertMemory(_ item: MemoryItem, announcingCreation: Bool) throws -> (id: Int64, outcome: UpsertOutcome) {
        try ClientRecords.upsertMemory(db, item, announcingCreation: announcingCreation, prepared: prepared)
    }

    func append(_ event: DomainEvent) throws {
        try EventLog.append(db, event, prepared: prepared)
    }

    // MARK: Batches

    func insertClients(_ clients: [Client], at now: Date, announcing: Bool) throws {
        _ = try batch(clients, announcing: announcing, one: { try insertClient($0, at: now, announcing: announcing) }) {
            try ClientRecords.insertClients(db, clients, at: now, prepared: prepared)
            return []
        }
    }

    func upsertContacts(_ contacts: [Contact], at now: Date, announcingCreation: Bool) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try batch(contacts, announcing: announcingCreation, one: { try upsertContact($0, at: now, announcingCreation: announcingCreation) }) {
            try ClientRecords.upsertContacts(db, contacts, at: now, prepared: prepared)
        }
    }

    func upsertActivities(_ activities: [Activity], at now: Date, announcingCreation: Bool) throws
        -> [(id: Int64, outcome: UpsertOutcome)]
    {
        try batch(activities, announcing: announcingCreation, one: { try upsertActivity($0, at: now, announcingCreation: announcingCreation) }) {
            try ClientRecords.upsertActivities(db, activities, at: now, prepared: prepared)
        }
    }

    func upsertTasks(_ tasks: [ClientTask], at now: Date, announcingCreation: Bool) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try batch(tasks, announcing: announcingCreation, one: { try upsertTask($0, at: now, announcingCreation: announcingCreation) }) {
            try ClientRecords.upsertTasks(db, tasks, at: now, prepared: prepared)
        }
    }

    func upsertMemories(_ items: [MemoryItem], announcingCreation: Bool) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try batch(items, announcing: announcingCreation, one: { try upsertMemory($0, announcingCreation: announcingCreation) }) {
            try ClientRecords.upsertMemories(db, items, prepared: prepared)
        }
    }

    func append(_ events: [DomainEvent]) throws {
        _ = try batch(events, announcing: false, one: { try append($0) }) {
            try ClientRecords.append(db, events, prepared: prepared)
            return []
        }
    }

    /// `many` for two records or more that announce nothing one by one (`ClientRecords+Batches`); else `one` for each,
    /// a refused record named by its place (`ImportBatch.each`).
    private func batch<Record, Answer>(
        _ records: [Record], announcing: Bool, one: (Record) throws -> Answer, many: () throws -> [Answer]
    ) throws -> [Answer] {
        guard !announcing, records.count > 1 else { return try ImportBatch.each(records, one) }
        return try many()
    }
}
