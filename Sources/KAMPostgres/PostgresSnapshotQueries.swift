/// The SQL of a client's snapshot on PostgreSQL, one statement a part, each run as a `SnapshotStatement` (`$1` the
/// client's id, `$2` the window's start) by `PostgresClientMemory.snapshot`.
///
/// The orders are SQLite's (`ClientRecords`), so both stores give equal snapshots (`ClientMemoryConformanceTests`).
enum PostgresSnapshotQueries {
    typealias Rows = PostgresMemoryRows

    /// The SQL of one statement.
    protocol Query {
        static var sql: String { get }
    }

    /// The client, its owner (`Rows.userColumns` after the client's, all NULL when it has none) and the time of its
    /// last activity, in one row; no row when there is no such client.
    enum Head: Query {
        static let sql = """
            SELECT c.*, u.*, (SELECT MAX(occurred_at) FROM activities WHERE client_id = $1)
            FROM (SELECT \(Rows.clientColumns) FROM clients WHERE id = $1) c
            LEFT JOIN LATERAL (SELECT \(Rows.userColumns) FROM users WHERE id = c.owner_id) u ON true
            """
    }

    enum Contacts: Query {
        static let sql = "SELECT \(Rows.contactColumns) FROM contacts WHERE client_id = $1 ORDER BY name, id"
    }

    enum Memory: Query {
        static let sql = "SELECT \(Rows.memoryColumns) FROM client_memory WHERE client_id = $1 ORDER BY kind, key"
    }

    enum Activities: Query {
        static let sql = """
            SELECT \(Rows.activityColumns) FROM activities WHERE client_id = $1 AND occurred_at >= $2
            ORDER BY occurred_at DESC, id DESC
            """
    }

    enum OpenDeals: Query {
        static let sql = """
            SELECT \(Rows.dealColumns) FROM deals
            WHERE client_id = $1 AND stage NOT IN ('closed-won', 'closed-lost')
            ORDER BY stage_entered_at, id
            """
    }

    /// The open deals' histories in one statement, not one a deal.
    enum OpenDealHistories: Query {
        static let sql = """
            SELECT h.deal_id, h.stage, h.entered_at, h.user_id FROM deal_stage_history h
            JOIN deals d ON d.id = h.deal_id
            WHERE d.client_id = $1 AND d.stage NOT IN ('closed-won', 'closed-lost')
            ORDER BY h.deal_id, h.entered_at, h.id
            """
    }

    enum PendingTasks: Query {
        static let sql = """
            SELECT \(Rows.taskColumns) FROM tasks WHERE client_id = $1 AND status IN ('open', 'in-progress')
            ORDER BY due IS NULL, due, id
            """
    }

    enum Orders: Query {
        static let sql = """
            SELECT \(Rows.orderColumns) FROM orders WHERE client_id = $1 ORDER BY ordered_at DESC, id DESC
            """
    }

    /// Opened since the window's start or still open, newest first (`SupportTicketRepository.snapshotTickets`).
    enum Tickets: Query {
        static let sql = """
            SELECT \(Rows.ticketColumns) FROM support_tickets WHERE client_id = $1
              AND (created_at >= $2 OR status IN ('new', 'open', 'pending', 'hold'))
            ORDER BY created_at DESC, id DESC LIMIT 200
            """
    }

    /// The analyses of the client's emails received since the window's start that found objections or competitors
    /// (`ClientRecords.modelFindings`): SQLite's `json_array_length(analysis, '$.objections') > 0` is the `CASE` on
    /// `jsonb_typeof` (0 for a missing or non-array member, as SQLite gives).
    enum Findings: Query {
        static let sql = """
            SELECT e.activity_id, e.analysis FROM inbound_emails e, LATERAL (SELECT e.analysis::jsonb AS a) j
            WHERE e.client_id = $1 AND e.received_at >= $2 AND e.activity_id IS NOT NULL
              AND ((CASE WHEN jsonb_typeof(j.a -> 'objections') = 'array' THEN jsonb_array_length(j.a -> 'objections') ELSE 0 END) > 0
                OR (CASE WHEN jsonb_typeof(j.a -> 'competitors') = 'array' THEN jsonb_array_length(j.a -> 'competitors') ELSE 0 END) > 0)
            """
    }

    /// The client's engagement with campaigns sent since the window's start (`CampaignRepository.touches`).
    enum CampaignTouches: Query {
        static let sql = """
            SELECT r.campaign_id, c.sent_at, k.role, r.opens, r.clicks, r.replied, r.clicked_urls
            FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id LEFT JOIN contacts k ON k.id = r.contact_id
            WHERE r.client_id = $1 AND c.sent_at >= $2 AND r.sent AND NOT r.bounced
              AND (r.opens > 0 OR r.clicks > 0 OR r.replied)
            ORDER BY c.sent_at DESC, r.campaign_id DESC, r.id
            """
    }
}
