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

    /// The client, its owner (`Rows.userColumns` after the client's, all NULL when it has none), the time of its
    /// last activity and then, in `Section`'s order, whether each part may have rows, in one row; no row when there is
    /// no such client. A part that has none is not asked for: each statement is a round trip to the server, and most
    /// clients have no tickets, analysed emails or campaign touches.
    enum Head: Query {
        static let sql = """
            SELECT c.*, u.*, (SELECT MAX(occurred_at) FROM activities WHERE client_id = $1),
                \(Section.allCases.map { "EXISTS (\($0.rows))" }.joined(separator: ", "))
            FROM (SELECT \(Rows.clientColumns) FROM clients WHERE id = $1) c
            LEFT JOIN LATERAL (SELECT \(Rows.userColumns) FROM users WHERE id = c.owner_id) u ON true
            """
    }

    /// The parts of a snapshot `Head` says are empty or not: each one's rows as the part's own statement finds them
    /// (its `WHERE`, without the columns and the order), or a superset of them. Activities need no flag: the head's
    /// last interaction is before the window's start exactly when the window holds none.
    enum Section: Int, CaseIterable {
        case contacts, memory, openDeals, pendingTasks, orders, tickets, findings, campaignTouches

        var rows: String {
            switch self {
            case .contacts: "SELECT 1 FROM contacts WHERE client_id = $1"
            case .memory: "SELECT 1 FROM client_memory WHERE client_id = $1"
            case .openDeals: "SELECT 1 FROM deals WHERE client_id = $1 AND \(openDeal)"
            case .pendingTasks: "SELECT 1 FROM tasks WHERE client_id = $1 AND \(pendingTask)"
            case .orders: "SELECT 1 FROM orders WHERE client_id = $1"
            case .tickets: "SELECT 1 FROM support_tickets WHERE client_id = $1 AND \(recentOrOpenTicket)"
            case .findings: "SELECT 1 FROM inbound_emails WHERE client_id = $1 AND \(analysedEmail)"
            case .campaignTouches: "SELECT 1 FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id WHERE \(touch)"
            }
        }
    }

    static let openDeal = "stage NOT IN ('closed-won', 'closed-lost')"
    static let pendingTask = "status IN ('open', 'in-progress')"
    static let recentOrOpenTicket = "(created_at >= $2 OR status IN ('new', 'open', 'pending', 'hold'))"
    static let analysedEmail = "received_at >= $2 AND activity_id IS NOT NULL"
    static let touch = "r.client_id = $1 AND c.sent_at >= $2 AND r.sent AND NOT r.bounced AND (r.opens > 0 OR r.clicks > 0 OR r.replied)"

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
            SELECT \(Rows.dealColumns) FROM deals WHERE client_id = $1 AND \(openDeal)
            ORDER BY stage_entered_at, id
            """
    }

    /// The open deals' histories in one statement, not one a deal.
    enum OpenDealHistories: Query {
        static let sql = """
            SELECT h.deal_id, h.stage, h.entered_at, h.user_id FROM deal_stage_history h
            JOIN deals d ON d.id = h.deal_id
            WHERE d.client_id = $1 AND d.\(openDeal)
            ORDER BY h.deal_id, h.entered_at, h.id
            """
    }

    enum PendingTasks: Query {
        static let sql = """
            SELECT \(Rows.taskColumns) FROM tasks WHERE client_id = $1 AND \(pendingTask)
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
            SELECT \(Rows.ticketColumns) FROM support_tickets WHERE client_id = $1 AND \(recentOrOpenTicket)
            ORDER BY created_at DESC, id DESC LIMIT 200
            """
    }

    /// The analyses of the client's emails received since the window's start that found objections or competitors
    /// (`ClientRecords.modelFindings`): SQLite's `json_array_length(analysis, '$.objections') > 0` is the `CASE` on
    /// `jsonb_typeof` (0 for a missing or non-array member, as SQLite gives).
    enum Findings: Query {
        static let sql = """
            SELECT e.activity_id, e.analysis FROM inbound_emails e, LATERAL (SELECT e.analysis::jsonb AS a) j
            WHERE e.client_id = $1 AND e.\(analysedEmail)
              AND ((CASE WHEN jsonb_typeof(j.a -> 'objections') = 'array' THEN jsonb_array_length(j.a -> 'objections') ELSE 0 END) > 0
                OR (CASE WHEN jsonb_typeof(j.a -> 'competitors') = 'array' THEN jsonb_array_length(j.a -> 'competitors') ELSE 0 END) > 0)
            """
    }

    /// The client's engagement with campaigns sent since the window's start (`CampaignRepository.touches`).
    enum CampaignTouches: Query {
        static let sql = """
            SELECT r.campaign_id, c.sent_at, k.role, r.opens, r.clicks, r.replied, r.clicked_urls
            FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id LEFT JOIN contacts k ON k.id = r.contact_id
            WHERE \(touch)
            ORDER BY c.sent_at DESC, r.campaign_id DESC, r.id
            """
    }
}
