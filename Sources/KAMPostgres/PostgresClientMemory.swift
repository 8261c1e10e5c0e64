import Foundation
import KAMCore
import PostgresNIO

/// Client memory read from PostgreSQL: the snapshot context assembly starts from, and the resolution of a CLIENT
/// argument — the same answers as `ClientStore` gives from SQLite (`MemoryConformanceTests` compares them).
///
/// Each call is one `REPEATABLE READ READ ONLY` transaction on a pooled connection, so the parts of a snapshot agree
/// as SQLite's one read transaction makes them agree. Statements go through PostgresNIO's extended protocol (parsed
/// and bound in one round trip); its named prepared statements are an async API with one type a statement, which a
/// synchronous `ClientMemoryReading` would have to bridge a statement at a time.
///
/// For example:
///
///     let store = try await PostgresStore.open(PostgresStoreConfiguration(url: url))
///     let memory = PostgresClientMemory(store: store)
///     let context = try ContextAssembler(tokenCounter: tokenizer).assemble(clientID: "acme", from: memory, now: Date())
public struct PostgresClientMemory: ClientMemoryReading {
    let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func snapshot(clientID: String, activitiesSince: Date) throws -> ClientSnapshot? {
        try store.transaction(readOnly: true) { session in
            try Self.snapshot(session, clientID: clientID, since: activitiesSince.timeIntervalSince1970)
        }
    }

    public func resolveClient(_ query: String) throws -> ClientResolution {
        try store.transaction(readOnly: true) { session in try Self.resolveClient(session, query) }
    }

    /// The rows of `query`, each mapped by `map`.
    static func all<Value>(
        _ session: PostgresSession, _ query: PostgresQuery, doing: String, _ map: (PostgresRow) throws -> Value
    ) throws -> [Value] {
        try session.query(query, doing: doing).rows.map(map)
    }

    static func snapshot(_ session: PostgresSession, clientID: String, since: Double) throws -> ClientSnapshot? {
        typealias Rows = PostgresMemoryRows
        let doing = "reading the snapshot of client \(clientID)"
        guard
            let client = try all(
                session, "SELECT \(unescaped: Rows.clientColumns) FROM clients WHERE id = \(clientID)", doing: doing,
                Rows.client
            ).first
        else { return nil }
        let owner = try client.ownerID.flatMap { ownerID in
            try all(
                session, "SELECT \(unescaped: Rows.userColumns) FROM users WHERE id = \(ownerID)", doing: doing,
                Rows.user
            ).first
        }
        let contacts = try all(
            session,
            "SELECT \(unescaped: Rows.contactColumns) FROM contacts WHERE client_id = \(clientID) ORDER BY name, id",
            doing: doing, Rows.contact)
        let memory = try all(
            session,
            "SELECT \(unescaped: Rows.memoryColumns) FROM client_memory WHERE client_id = \(clientID) ORDER BY kind, key",
            doing: doing, Rows.memory)
        let activities = try all(
            session,
            """
            SELECT \(unescaped: Rows.activityColumns) FROM activities WHERE client_id = \(clientID) AND occurred_at >= \(since)
            ORDER BY occurred_at DESC, id DESC
            """, doing: doing, Rows.activity)
        let dealRows = try session.query(
            """
            SELECT \(unescaped: Rows.dealColumns) FROM deals
            WHERE client_id = \(clientID) AND stage NOT IN ('closed-won', 'closed-lost')
            ORDER BY stage_entered_at, id
            """, doing: doing
        ).rows
        // The open deals' histories in one statement, not one a deal.
        var histories: [Int64: [DealStageChange]] = [:]
        if !dealRows.isEmpty {
            for (dealID, change) in try all(
                session,
                """
                SELECT h.deal_id, h.stage, h.entered_at, h.user_id FROM deal_stage_history h
                JOIN deals d ON d.id = h.deal_id
                WHERE d.client_id = \(clientID) AND d.stage NOT IN ('closed-won', 'closed-lost')
                ORDER BY h.deal_id, h.entered_at, h.id
                """, doing: doing, Rows.stageChange)
            {
                histories[dealID, default: []].append(change)
            }
        }
        let openDeals = try dealRows.map { row in try Rows.deal(row) { histories[$0] ?? [] } }
        let pendingTasks = try all(
            session,
            """
            SELECT \(unescaped: Rows.taskColumns) FROM tasks WHERE client_id = \(clientID) AND status IN ('open', 'in-progress')
            ORDER BY due IS NULL, due, id
            """, doing: doing, Rows.task)
        let orders = try all(
            session,
            """
            SELECT \(unescaped: Rows.orderColumns) FROM orders WHERE client_id = \(clientID)
            ORDER BY ordered_at DESC, id DESC
            """, doing: doing, Rows.order)
        let last = try session.query(
            "SELECT MAX(occurred_at) FROM activities WHERE client_id = \(clientID)", doing: doing
        ).rows.first?.decode(Double?.self) ?? nil
        // Opened since the window's start or still open, newest first (`SupportTicketRepository.snapshotTickets`).
        let tickets = try all(
            session,
            """
            SELECT \(unescaped: Rows.ticketColumns) FROM support_tickets WHERE client_id = \(clientID)
              AND (created_at >= \(since) OR status IN ('new', 'open', 'pending', 'hold'))
            ORDER BY created_at DESC, id DESC LIMIT 200
            """, doing: doing, Rows.ticket)
        return ClientSnapshot(
            client: client, owner: owner, contacts: contacts, memory: memory, activities: activities,
            openDeals: openDeals, pendingTasks: pendingTasks, orders: orders,
            lastInteractionAt: last.map(Date.init(timeIntervalSince1970:)), tickets: tickets,
            modelFindings: try modelFindings(session, clientID: clientID, since: since, doing: doing),
            campaignTouches: try campaignTouches(session, clientID: clientID, since: since, doing: doing))
    }

    /// What the analysis prompt found in the client's emails received since `since`, by their activity's id
    /// (`ClientRecords.modelFindings`): SQLite's `json_array_length(analysis, '$.objections') > 0` is the `CASE` on
    /// `jsonb_typeof` below (0 for a missing or non-array member, as SQLite gives). An analysis that does not decode
    /// finds nothing rather than failing the snapshot.
    static func modelFindings(_ session: PostgresSession, clientID: String, since: Double, doing: String) throws
        -> [Int64: [ObjectionDetector.Finding]]
    {
        let rows = try session.query(
            """
            SELECT e.activity_id, e.analysis FROM inbound_emails e, LATERAL (SELECT e.analysis::jsonb AS a) j
            WHERE e.client_id = \(clientID) AND e.received_at >= \(since) AND e.activity_id IS NOT NULL
              AND ((CASE WHEN jsonb_typeof(j.a -> 'objections') = 'array' THEN jsonb_array_length(j.a -> 'objections') ELSE 0 END) > 0
                OR (CASE WHEN jsonb_typeof(j.a -> 'competitors') = 'array' THEN jsonb_array_length(j.a -> 'competitors') ELSE 0 END) > 0)
            """, doing: doing
        ).rows
        var found: [Int64: [ObjectionDetector.Finding]] = [:]
        for row in rows {
            let (activityID, text) = try row.decode((Int64, String).self)
            guard let analysis = try? JSONDecoder().decode(InboundEmailAnalysis.self, from: Data(text.utf8)) else {
                continue
            }
            found[activityID] = analysis.findings
        }
        return found
    }

    /// The client's engagement with campaigns sent since `since` (`CampaignRepository.touches` for one client).
    static func campaignTouches(_ session: PostgresSession, clientID: String, since: Double, doing: String) throws
        -> [CampaignTouch]
    {
        try all(
            session,
            """
            SELECT r.campaign_id, c.sent_at, k.role, r.opens, r.clicks, r.replied, r.clicked_urls
            FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id LEFT JOIN contacts k ON k.id = r.contact_id
            WHERE r.client_id = \(clientID) AND c.sent_at >= \(since) AND r.sent AND NOT r.bounced
              AND (r.opens > 0 OR r.clicks > 0 OR r.replied)
            ORDER BY c.sent_at DESC, r.campaign_id DESC, r.id
            """, doing: doing
        ) { row in
            let (campaignID, sentAt, role, opens, clicks, replied, urls) = try row.decode(
                (Int64, Double, String?, Int64, Int64, Bool, String?).self)
            return CampaignTouch(
                campaignID: campaignID, sentAt: Date(timeIntervalSince1970: sentAt),
                decisionMaker: role == ContactRole.decisionMaker.rawValue, opened: opens > 0 || clicks > 0,
                clicked: clicks > 0, replied: replied,
                clickedURLs: urls.map { $0.split(separator: "\n").map(String.init) } ?? [])
        }
    }
}
