import Foundation
import GRDB
import KAMCore

extension ClientStore: ClientMemoryReading, ClientCatalogReading {
    /// Everything known about one client, read in one transaction so the parts agree.
    public func snapshot(clientID: String, activitiesSince: Date) throws -> ClientSnapshot? {
        try writer.read { db in try ClientRecords.snapshot(db, clientID: clientID, activitiesSince: activitiesSince) }
    }

    /// Resolves a CLIENT argument: id, external id, exact name (any case), contact email, then
    /// email domain; when nothing matches, suggests close names and ids.
    public func resolveClient(_ query: String) throws -> ClientResolution {
        try writer.read { db in try ClientRecords.resolveClient(db, query) }
    }

    /// The client with that id, or nil.
    public func client(id: String) throws -> Client? {
        try writer.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(ClientRecords.clientColumns) FROM clients WHERE id = ?"), arguments: [id])
                .map(ClientRecords.client)
        }
    }

    /// Every client, by name.
    public func listClients() throws -> [Client] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT \(ClientRecords.clientColumns) FROM clients ORDER BY name COLLATE NOCASE, id").map(ClientRecords.client)
        }
    }

    /// Clients whose id, name, domain or external id contains `query`, or with a contact whose
    /// name or email contains it; by name.
    public func findClients(matching query: String, limit: Int = 50) throws -> [Client] {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return [] }
        let pattern = "%" + trimmed.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(ClientRecords.clientColumns) FROM clients
                    WHERE id LIKE ?1 ESCAPE '\\' OR name LIKE ?1 ESCAPE '\\' OR domain LIKE ?1 ESCAPE '\\'
                       OR external_id LIKE ?1 ESCAPE '\\'
                       OR id IN (SELECT client_id FROM contacts
                                 WHERE name LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\')
                    ORDER BY name COLLATE NOCASE, id LIMIT ?2
                    """,
                arguments: [pattern, limit]
            ).map(ClientRecords.client)
        }
    }

    /// Every user, by name, then by id.
    public func listUsers() throws -> [User] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT \(ClientRecords.userColumns) FROM users ORDER BY name, id").map(ClientRecords.user)
        }
    }

    /// The user with this id, else with this email (any case), if any.
    public func user(id: String) throws -> User? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT \(ClientRecords.userColumns) FROM users WHERE id = ?1 OR email = ?1 COLLATE NOCASE
                    ORDER BY id = ?1 DESC, id LIMIT 1
                    """,
                arguments: .storing([id]))
                .map(ClientRecords.user)
        }
    }

    /// How many rows each foundation table holds.
    public func counts() throws -> StoreCounts {
        try writer.read { db in try StoreCounts.read(db) }
    }
}

extension ClientRecords {
    /// The snapshot of one client, or nil when no client has that id.
    ///
    /// The context path of every request: each statement is cached and its rows are mapped by column position.
    /// Rows are copied first (`fetchAll`), not read from a cursor: a cursor reads text up to its first NUL.
    /// What the analysis prompt found of objections and competitors in the client's emails ingested since `since`, by
    /// their activity's id (`ClientSnapshot.modelFindings`). An analysis that does not decode (a later version's
    /// fields) finds nothing rather than failing the snapshot.
    static func modelFindings(_ db: Database, clientID: String, since: Date) throws -> [Int64: [ObjectionDetector.Finding]] {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT activity_id, analysis FROM inbound_emails
                    WHERE client_id = ? AND received_at >= ? AND activity_id IS NOT NULL
                      AND (json_array_length(analysis, '$.objections') > 0 OR json_array_length(analysis, '$.competitors') > 0)
                    """),
            arguments: [clientID, since.timeIntervalSince1970])
        var found: [Int64: [ObjectionDetector.Finding]] = [:]
        for row in rows {
            let text: String = row[1]
            guard let analysis = try? JSONDecoder().decode(InboundEmailAnalysis.self, from: Data(text.utf8)) else { continue }
            found[row[0]] = analysis.findings
        }
        return found
    }

    public static func snapshot(_ db: Database, clientID: String, activitiesSince: Date) throws -> ClientSnapshot? {
        func all<Value>(_ sql: String, _ arguments: StatementArguments, _ map: (Row) throws -> Value) throws -> [Value] {
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(map)
        }
        guard
            let client = try all("SELECT \(clientColumns) FROM clients WHERE id = ?", [clientID], ClientRecords.client)
                .first
        else { return nil }
        let owner = try client.ownerID.flatMap { ownerID in
            try all("SELECT \(userColumns) FROM users WHERE id = ?", .storing([ownerID]), ClientRecords.user).first
        }
        let contacts = try all(
            "SELECT \(contactColumns) FROM contacts WHERE client_id = ? ORDER BY name, id", [clientID],
            ClientRecords.contact)
        let memory = try all(
            "SELECT \(memoryColumns) FROM client_memory WHERE client_id = ? ORDER BY kind, key", [clientID],
            ClientRecords.memory)
        let activities = try all(
            """
            SELECT \(activityColumns) FROM activities WHERE client_id = ? AND occurred_at >= ?
            ORDER BY occurred_at DESC, id DESC
            """, [clientID, activitiesSince.timeIntervalSince1970], ClientRecords.activity)
        let dealRows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT \(dealColumns) FROM deals WHERE client_id = ? AND stage NOT IN ('closed-won', 'closed-lost')
                    ORDER BY stage_entered_at, id
                    """),
            arguments: [clientID])
        // The open deals' histories in one statement, not one a deal.
        var histories: [Int64: [DealStageChange]] = [:]
        if !dealRows.isEmpty {
            for change in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT h.deal_id, h.stage, h.entered_at, h.user_id FROM deal_stage_history h
                        JOIN deals d ON d.id = h.deal_id
                        WHERE d.client_id = ? AND d.stage NOT IN ('closed-won', 'closed-lost')
                        ORDER BY h.deal_id, h.entered_at, h.id
                        """),
                arguments: [clientID])
            {
                histories[change[0], default: []].append(try stageChange(change, at: 1))
            }
        }
        let openDeals = try dealRows.map { row in try ClientRecords.deal(row, history: histories[row[0]] ?? []) }
        let pendingTasks = try all(
            """
            SELECT \(taskColumns) FROM tasks WHERE client_id = ? AND status IN ('open', 'in-progress')
            ORDER BY due IS NULL, due, id
            """, [clientID], ClientRecords.task)
        let orders = try all(
            "SELECT \(orderColumns) FROM orders WHERE client_id = ? ORDER BY ordered_at DESC, id DESC", [clientID],
            ClientRecords.order)
        let last = try Double.fetchOne(
            db.cachedStatement(sql: "SELECT MAX(occurred_at) FROM activities WHERE client_id = ?"), arguments: [clientID])
        let tickets = try SupportTicketRepository.snapshotTickets(db, clientID: clientID, since: activitiesSince)
        return ClientSnapshot(
            client: client, owner: owner, contacts: contacts, memory: memory, activities: activities,
            openDeals: openDeals, pendingTasks: pendingTasks, orders: orders,
            lastInteractionAt: last.map(Date.init(timeIntervalSince1970:)), tickets: tickets,
            modelFindings: try modelFindings(db, clientID: clientID, since: activitiesSince),
            campaignTouches: try CampaignRepository.touches(db, clientIDs: [clientID], since: activitiesSince)[clientID] ?? [])
    }

    /// See `ClientStore.resolveClient(_:)`.
    public static func resolveClient(_ db: Database, _ rawQuery: String) throws -> ClientResolution {
        let query = rawQuery.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else { return .notFound(suggestions: []) }
        func clients(_ sql: String, _ arguments: StatementArguments) throws -> [Client] {
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(ClientRecords.client)
        }
        func outcome(_ found: [Client], _ match: ClientMatch) -> ClientResolution? {
            switch found.count {
            case 0: nil
            case 1: .found(found[0], matchedBy: match)
            default: .ambiguous(found)
            }
        }
        let lookups: [(sql: String, argument: String, match: ClientMatch)] = [
            ("SELECT \(ClientRecords.clientColumns) FROM clients WHERE id = ?", query, .id),
            ("SELECT \(ClientRecords.clientColumns) FROM clients WHERE id = ?", query.lowercased(), .id),
            ("SELECT \(ClientRecords.clientColumns) FROM clients WHERE external_id = ?", query, .externalID),
            ("SELECT \(ClientRecords.clientColumns) FROM clients WHERE name = ? COLLATE NOCASE ORDER BY name, id", query, .name),
        ]
        for lookup in lookups {
            if let result = outcome(try clients(lookup.sql, [lookup.argument]), lookup.match) { return result }
        }
        if query.contains("@") {
            let byContact = try clients(
                """
                SELECT \(ClientRecords.clientColumns) FROM clients WHERE id IN (SELECT client_id FROM contacts WHERE email = ?)
                ORDER BY name, id
                """,
                [query])
            if let result = outcome(byContact, .contactEmail) { return result }
        }
        let domain = query.split(separator: "@").last.map(String.init) ?? query
        if domain.contains(".") || query.contains("@") {
            // `nanolabs` as stored, or `acme.com` typed for a stored `acme`, or the reverse.
            let bare = domain.split(separator: ".").first.map(String.init) ?? domain
            let byDomain = try clients(
                "SELECT \(ClientRecords.clientColumns) FROM clients WHERE domain = ? OR domain = ? ORDER BY name, id", [domain, bare])
            if let result = outcome(byDomain, .emailDomain) { return result }
        }
        return .notFound(suggestions: try suggestions(db, for: query))
    }

    /// Clients whose id or name is close to `query` (`ClientNameSuggestions`: every store ranks them alike).
    static func suggestions(_ db: Database, for query: String, limit: Int = 5) throws -> [Client] {
        let candidates = try Row.fetchAll(db, sql: "SELECT id, name FROM clients").map { row in
            (id: row["id"] as String, name: row["name"] as String)
        }
        return try ClientNameSuggestions.best(for: query, among: candidates, limit: limit).compactMap { id in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(ClientRecords.clientColumns) FROM clients WHERE id = ?"), arguments: [id])
                .map(ClientRecords.client)
        }
    }
}
