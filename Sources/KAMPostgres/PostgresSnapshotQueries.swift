/// The SQL of a client's snapshot on PostgreSQL: one statement (`$1` the client's id, `$2` the window's start) whose
/// rows carry every part, run as a `SnapshotStatement` by `PostgresClientMemory.snapshot`.
///
/// Each round trip to the server costs more than reading a part (a snapshot had up to thirteen statements and a
/// transaction around them), so the parts are one `UNION ALL`: a row is `(part, n, columns…)`, where each part has
/// columns of its own and NULLs in the others' places, `n` is the row's place in its part's order, and the rows come
/// ordered by part, then `n`. One statement reads one snapshot of the database, so the parts agree without a
/// transaction. A part that has no rows costs an index probe on the server and nothing on the wire.
///
/// The orders are SQLite's (`ClientRecords`), so both stores give equal snapshots (`ClientMemoryConformanceTests`).
enum PostgresSnapshotQueries {
    typealias Rows = PostgresMemoryRows

    /// The parts of a snapshot, in the statement's order.
    enum Part: Int, CaseIterable {
        /// The client, its owner (the user's columns, all NULL when it has none) and the time of its last activity;
        /// no row when there is no such client.
        case head
        case contacts, memory, activities, openDeals
        /// The open deals' stage histories.
        case openDealHistories
        case pendingTasks, orders
        /// Opened since the window's start or still open, newest first (`SupportTicketRepository.snapshotTickets`).
        case tickets
        /// The analyses of the client's emails received since the window's start that found objections or
        /// competitors (`ClientRecords.modelFindings`): SQLite's `json_array_length(analysis, '$.objections') > 0` is
        /// the `CASE` on `jsonb_typeof` (0 for a missing or non-array member, as SQLite gives).
        case findings
        /// The client's engagement with campaigns sent since the window's start (`CampaignRepository.touches`).
        case campaignTouches

        /// The part's columns (as its select list names them) and their types.
        var columns: [(name: String, type: String)] {
            func list(_ columns: Rows.Columns, prefix: String = "") -> [(name: String, type: String)] {
                columns.map { (prefix + $0.key, $0.value) }
            }
            return switch self {
            // The client's columns (`c.`), the owner's (`u.`), and the last activity's time.
            case .head:
                list(Rows.client, prefix: "c.") + list(Rows.user, prefix: "u.")
                    + [("(SELECT MAX(occurred_at) FROM activities WHERE client_id = $1)", "float8")]
            case .contacts: list(Rows.contact)
            case .memory: list(Rows.memory)
            case .activities: list(Rows.activity)
            case .openDeals: list(Rows.deal)
            case .openDealHistories: list(Rows.stageChange)
            case .pendingTasks: list(Rows.task)
            case .orders: list(Rows.order)
            case .tickets: list(Rows.ticket)
            case .findings: [("e.activity_id", "bigint"), ("e.analysis", "text")]
            case .campaignTouches: list(Rows.campaignTouch)
            }
        }

        /// The part's rows: `FROM` and `WHERE`.
        var rows: String {
            switch self {
            case .head:
                """
                FROM clients c LEFT JOIN users u ON u.id = c.owner_id WHERE c.id = $1
                """
            case .contacts: "FROM contacts WHERE client_id = $1"
            case .memory: "FROM client_memory WHERE client_id = $1"
            case .activities: "FROM activities WHERE client_id = $1 AND occurred_at >= $2"
            case .openDeals: "FROM deals WHERE client_id = $1 AND stage NOT IN ('closed-won', 'closed-lost')"
            case .openDealHistories:
                """
                FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id
                WHERE d.client_id = $1 AND d.stage NOT IN ('closed-won', 'closed-lost')
                """
            case .pendingTasks: "FROM tasks WHERE client_id = $1 AND status IN ('open', 'in-progress')"
            case .orders: "FROM orders WHERE client_id = $1"
            case .tickets:
                """
                FROM support_tickets WHERE client_id = $1 AND (created_at >= $2 OR status IN ('new', 'open', 'pending', 'hold'))
                """
            case .findings:
                """
                FROM inbound_emails e, LATERAL (SELECT e.analysis::jsonb AS a) j
                WHERE e.client_id = $1 AND e.received_at >= $2 AND e.activity_id IS NOT NULL
                  AND ((CASE WHEN jsonb_typeof(j.a -> 'objections') = 'array' THEN jsonb_array_length(j.a -> 'objections') ELSE 0 END) > 0
                    OR (CASE WHEN jsonb_typeof(j.a -> 'competitors') = 'array' THEN jsonb_array_length(j.a -> 'competitors') ELSE 0 END) > 0)
                """
            case .campaignTouches:
                """
                FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id LEFT JOIN contacts k ON k.id = r.contact_id
                WHERE r.client_id = $1 AND c.sent_at >= $2 AND r.sent AND NOT r.bounced AND (r.opens > 0 OR r.clicks > 0 OR r.replied)
                """
            }
        }

        /// The order of the part's rows (SQLite's), or nil for none.
        var order: String? {
            switch self {
            case .head, .findings: nil
            case .contacts: "name, id"
            case .memory: "kind, key"
            case .activities: "occurred_at DESC, id DESC"
            case .openDeals: "stage_entered_at, id"
            case .openDealHistories: "h.deal_id, h.entered_at, h.id"
            case .pendingTasks: "due IS NULL, due, id"
            case .orders: "ordered_at DESC, id DESC"
            case .tickets: "created_at DESC, id DESC"
            case .campaignTouches: "c.sent_at DESC, r.campaign_id DESC, r.id"
            }
        }

        /// At most this many of the part's rows, or nil for all.
        var limit: Int? { self == .tickets ? 200 : nil }

        /// The first column of the part's own in a row of the statement (after `part` and `n`).
        var firstColumn: Int { Self.firstColumns[rawValue] }

        private static let firstColumns: [Int] = allCases.reduce(into: [2]) { $0.append($0.last! + $1.columns.count) }
    }

    /// The statement: every part's `SELECT`, in `Part`'s order, each with NULLs typed as the other parts' columns.
    static let sql: String = {
        let branches = Part.allCases.map { part in
            let cells = Part.allCases.flatMap { other in
                other == part ? part.columns.map(\.name) : other.columns.map { "NULL::\($0.type)" }
            }
            let n = part.order.map { "row_number() OVER (ORDER BY \($0))" } ?? "0::bigint"
            let select = "SELECT \(part.rawValue), \(n), \(cells.joined(separator: ", ")) \(part.rows)"
            return part.limit.map { "(\(select) ORDER BY \(part.order ?? "1") LIMIT \($0))" } ?? select
        }
        return branches.joined(separator: "\nUNION ALL\n") + "\nORDER BY 1, 2"
    }()
}
