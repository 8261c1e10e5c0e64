import Foundation
import KAMCore
import PostgresNIO

/// The upserts of an import or a connector on PostgreSQL, as `ClientRecords`' on SQLite: the same matching (external
/// id first), the same events. A record new to both of two processes upserting it at once goes in with
/// `INSERT … ON CONFLICT DO NOTHING` where a unique key names it (ids, external ids): the second waits for the
/// first's row and updates it.
extension PostgresClientRecordStore {
    @discardableResult
    public func upsertUser(_ user: User) throws -> UpsertOutcome {
        try store.transaction(readOnly: false) { session in try Self.upsertUser(session, user) }
    }

    /// `ClientRecords.upsertUser` in `session`'s transaction: by id; refused when another user has the email.
    static func upsertUser(_ session: PostgresSession, _ user: User) throws -> UpsertOutcome {
        let doing = "storing user \(user.id)"
        if try Self.userExists(session, user.id) {
            try Self.updateUser(session, user)
            return .updated
        }
        if let other = try session.query(
            "SELECT id FROM users WHERE lower(email) = lower(\(user.email)::text COLLATE \"C\") ORDER BY id LIMIT 1",
            doing: doing
        ).rows.first?.decode(String.self) {
            throw StoreError.emailTaken(user.email, user: user.id, by: other)
        }
        let inserted = try session.query(
            """
            INSERT INTO users (id, name, email, team) VALUES (\(user.id), \(user.name), \(user.email), \(user.team))
            ON CONFLICT (id) DO NOTHING RETURNING id
            """, doing: doing)
        if inserted.rows.first != nil { return .created }
        try Self.updateUser(session, user)
        return .updated
    }

    private static func updateUser(_ session: PostgresSession, _ user: User) throws {
        try session.query(
            "UPDATE users SET name = \(user.name), email = \(user.email), team = \(user.team) WHERE id = \(user.id)",
            doing: "storing user \(user.id)")
    }

    static func userExists(_ session: PostgresSession, _ id: String) throws -> Bool {
        try session.query("SELECT 1 FROM users WHERE id = \(id)", doing: "checking user \(id)").rows.first != nil
    }

    @discardableResult
    public func upsertClient(_ client: Client) throws -> (id: String, outcome: UpsertOutcome) {
        try store.transaction(readOnly: false) { session in try Self.upsertClient(session, client, at: now()) }
    }

    /// `ClientRecords.upsertClient` in `session`'s transaction: matched by external id, then by id; `client.created`
    /// for a new one (unless `announcingCreation` is false: an import's `client.imported` stands for it),
    /// `lead.status-changed` when an update changes the lead status (unless `announcingLeadMove` is false).
    @discardableResult
    static func upsertClient(
        _ session: PostgresSession, _ client: Client, at now: Date, announcingLeadMove: Bool = true,
        announcingCreation: Bool = true
    ) throws -> (id: String, outcome: UpsertOutcome) {
        try checkClient(session, client)
        var match = try matchClient(session, client)
        if match == nil {
            if try insertClient(session, client, at: now, announcing: announcingCreation) { return (client.id, .created) }
            match = try matchClient(session, client)  // inserted by another process since the match
        }
        guard let found = match else {
            throw StoreError(.invalidValue, "client '\(client.id)' was changed meanwhile; try again")
        }
        let (existing, leadStatus) = found
        let c = client
        try session.query(
            """
            UPDATE clients SET name = \(c.name), external_id = \(c.externalID), industry = \(c.industry),
                tier = \(c.tier.rawValue), monthly_budget = \(c.monthlyBudget), currency = \(c.currency),
                owner_id = \(c.ownerID), domain = \(c.domain), consent_ai_analysis = \(c.consentAIAnalysis),
                consent_training = \(c.consentTraining), lifecycle = \(c.lifecycle.rawValue),
                lead_status = \(c.leadStatus.rawValue), renewal_date = \(c.renewalDate?.timeIntervalSince1970),
                updated_at = \(c.updatedAt.timeIntervalSince1970)
            WHERE id = \(existing)
            """, doing: "storing client \(existing)")
        if announcingLeadMove, let before = LeadStatus(rawValue: leadStatus), before != client.leadStatus {
            try PostgresEventLog.append(
                session,
                .leadStatusChanged(
                    LeadTransition(
                        clientID: existing, from: before, to: client.leadStatus, automatic: false, reason: "", at: now)))
        }
        return (existing, .updated)
    }

    /// The stored client `client` is: by external id, else by id; its id and lead status.
    private static func matchClient(_ session: PostgresSession, _ client: Client) throws
        -> (id: String, leadStatus: String)?
    {
        let doing = "finding client \(client.id)"
        if let externalID = client.externalID,
            let row = try session.query(
                "SELECT id, lead_status FROM clients WHERE external_id = \(externalID)", doing: doing
            ).rows.first
        {
            let (id, leadStatus) = try row.decode((String, String).self)
            return (id, leadStatus)
        }
        return try session.query("SELECT id, lead_status FROM clients WHERE id = \(client.id)", doing: doing)
            .rows.first.map { try $0.decode((String, String).self) }.map { (id: $0.0, leadStatus: $0.1) }
    }

    /// Refuses a client without an id or a name, or whose owner is not a user.
    static func checkClient(_ session: PostgresSession, _ client: Client) throws {
        guard !client.id.isEmpty, !client.name.isEmpty else { throw StoreError.unnamedClient(client.id) }
        if let owner = client.ownerID, try !userExists(session, owner) {
            throw StoreError.unknownOwner(owner, client: client.id)
        }
    }

    /// Inserts `client` with its `client.created` event (unless `announcing` is false); false (and nothing written)
    /// when a client has its id or external id.
    static func insertClient(_ session: PostgresSession, _ c: Client, at now: Date, announcing: Bool = true) throws -> Bool {
        let inserted = try session.query(
            """
            INSERT INTO clients (id, name, external_id, industry, tier, monthly_budget, currency, owner_id, domain,
                consent_ai_analysis, consent_training, lifecycle, lead_status, renewal_date, created_at, updated_at)
            VALUES (\(c.id), \(c.name), \(c.externalID), \(c.industry), \(c.tier.rawValue), \(c.monthlyBudget),
                \(c.currency), \(c.ownerID), \(c.domain), \(c.consentAIAnalysis), \(c.consentTraining),
                \(c.lifecycle.rawValue), \(c.leadStatus.rawValue), \(c.renewalDate?.timeIntervalSince1970),
                \(c.createdAt.timeIntervalSince1970), \(c.updatedAt.timeIntervalSince1970))
            ON CONFLICT DO NOTHING RETURNING id
            """, doing: "adding client \(c.id)")
        guard inserted.rows.first != nil else { return false }
        if announcing { try PostgresEventLog.append(session, .clientCreated(c, at: now)) }
        return true
    }

    @discardableResult
    public func upsertContact(_ contact: Contact) throws -> (id: Int64, outcome: UpsertOutcome) {
        try store.transaction(readOnly: false) { session in
            try Self.requireClient(session, contact.clientID, lock: true)
            return try Self.upsertContact(session, contact, at: now())
        }
    }

    /// `ClientRecords.upsertContact` in `session`'s transaction, its client known to exist: by external id, else by
    /// email (in any case), else by name within the client; a new one with `contact.created` unless
    /// `announcingCreation` is false.
    @discardableResult
    static func upsertContact(
        _ session: PostgresSession, _ contact: Contact, at now: Date, announcingCreation: Bool = true
    ) throws -> (id: Int64, outcome: UpsertOutcome) {
        let c = contact
        let doing = "storing contact \(c.name) of \(c.clientID)"
        var existing: Int64?
        if let externalID = c.externalID {
            if let created = try Self.insertedID(
                session,
                """
                INSERT INTO contacts (client_id, external_id, name, email, phone, title, role)
                VALUES (\(c.clientID), \(c.externalID), \(c.name), \(c.email), \(c.phone), \(c.title), \(c.role.rawValue))
                ON CONFLICT (external_id) DO NOTHING RETURNING id
                """, doing: doing)
            {
                if announcingCreation { try PostgresEventLog.append(session, .contactCreated(c, id: created, at: now)) }
                return (created, .created)
            }
            existing = try Self.insertedID(
                session, "SELECT id FROM contacts WHERE external_id = \(externalID)", doing: doing)
        } else if let email = c.email {
            existing = try Self.insertedID(
                session,
                """
                SELECT id FROM contacts
                WHERE client_id = \(c.clientID) AND lower(email) = lower(\(email)::text COLLATE "C") ORDER BY id LIMIT 1
                """, doing: doing)
        } else {
            existing = try Self.insertedID(
                session, "SELECT id FROM contacts WHERE client_id = \(c.clientID) AND name = \(c.name) ORDER BY id LIMIT 1",
                doing: doing)
        }
        if let existing {
            try session.query(
                """
                UPDATE contacts SET client_id = \(c.clientID), external_id = \(c.externalID), name = \(c.name),
                    email = \(c.email), phone = \(c.phone), title = \(c.title), role = \(c.role.rawValue)
                WHERE id = \(existing)
                """, doing: doing)
            return (existing, .updated)
        }
        let id = try Self.insertContact(session, c)
        if announcingCreation { try PostgresEventLog.append(session, .contactCreated(c, id: id, at: now)) }
        return (id, .created)
    }

    @discardableResult
    public func upsertActivity(_ activity: Activity) throws -> (id: Int64, outcome: UpsertOutcome) {
        try store.transaction(readOnly: false) { session in
            try Self.requireClient(session, activity.clientID)
            return try Self.upsertActivity(session, activity, at: now())
        }
    }

    /// `upsertActivity(_:)` in a caller's transaction (an email intake's, an import's), its client known to exist;
    /// a new one without its `activity.logged` when `announcingCreation` is false.
    @discardableResult
    static func upsertActivity(
        _ session: PostgresSession, _ a: Activity, at now: Date, announcingCreation: Bool = true
    ) throws -> (id: Int64, outcome: UpsertOutcome) {
        let doing = "storing an activity of \(a.clientID)"
        if let created = try Self.insertedID(
            session,
            """
            INSERT INTO activities (client_id, contact_id, external_id, kind, direction, occurred_at, subject, body,
                sentiment)
            VALUES (\(a.clientID), \(a.contactID), \(a.externalID), \(a.kind.rawValue), \(a.direction.rawValue),
                \(a.occurredAt.timeIntervalSince1970), \(a.subject), \(a.body), \(a.sentiment))
            ON CONFLICT (external_id) DO NOTHING RETURNING id
            """, doing: doing)
        {
            if announcingCreation { try PostgresEventLog.append(session, .activityLogged(a, id: created, at: now)) }
            return (created, .created)
        }
        // Not inserted: a row has this (non-nil) external id.
        let existing =
            try Self.insertedID(session, "SELECT id FROM activities WHERE external_id = \(a.externalID)", doing: doing)
            ?? 0
        try session.query(
            """
            UPDATE activities SET client_id = \(a.clientID), contact_id = \(a.contactID), external_id = \(a.externalID),
                kind = \(a.kind.rawValue), direction = \(a.direction.rawValue),
                occurred_at = \(a.occurredAt.timeIntervalSince1970), subject = \(a.subject), body = \(a.body),
                sentiment = \(a.sentiment)
            WHERE id = \(existing)
            """, doing: doing)
        return (existing, .updated)
    }

    /// `upsertActivity` for each of `activities` (no external id twice) in at most four statements whatever their
    /// number, leaving the rows, ids and events the calls one at a time leave: all are inserted in order by one
    /// `INSERT … SELECT FROM unnest … ORDER BY … ON CONFLICT (external_id) DO NOTHING` (so each takes its identity
    /// value in turn, a stored one too, as its own insert would); the ones not inserted, stored already under their
    /// external id, are found by one statement and updated by one `UPDATE … FROM unnest`; the new ones'
    /// `activity.logged` are appended by one insert.
    static func upsertActivities(
        _ session: PostgresSession, _ activities: [Activity], at now: Date, announcingCreation: Bool
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        guard let first = activities.first else { return [] }
        let doing = "storing \(activities.count) activities of \(first.clientID)"
        let columns = ActivityColumns(activities)
        var inserted: [String: Int64] = [:]
        var anonymous: [Int64] = []
        for row in try session.query(
            """
            INSERT INTO activities (client_id, contact_id, external_id, kind, direction, occurred_at, subject, body,
              sentiment)
            SELECT \(unescaped: ActivityColumns.select)
            FROM unnest(\(columns.clientIDs), \(columns.hasContact), \(columns.contactIDs), \(columns.hasExternal),
              \(columns.externalIDs), \(columns.kinds), \(columns.directions), \(columns.times), \(columns.hasSubject),
              \(columns.subjects), \(columns.hasBody), \(columns.bodies), \(columns.hasSentiment), \(columns.sentiments))
              WITH ORDINALITY AS v (\(unescaped: ActivityColumns.names), n)
            ORDER BY n
            ON CONFLICT (external_id) DO NOTHING RETURNING id, external_id
            """, doing: doing
        ).rows {
            let (id, externalID) = try row.decode((Int64, String?).self)
            if let externalID { inserted[externalID] = id } else { anonymous.append(id) }
        }
        var results = [(id: Int64, outcome: UpsertOutcome)?](repeating: nil, count: activities.count)
        // Rows without an external id cannot conflict: theirs are the other ids, taken in the rows' order.
        var next = anonymous.sorted().makeIterator()
        var stored: [String] = []
        for (index, activity) in activities.enumerated() {
            if let externalID = activity.externalID {
                if let id = inserted[externalID] { results[index] = (id, .created) } else { stored.append(externalID) }
            } else if let id = next.next() {
                results[index] = (id, .created)
            }
        }
        if !stored.isEmpty {
            var ids: [String: Int64] = [:]
            for row in try session.query(
                "SELECT external_id, id FROM activities WHERE external_id = ANY(\(stored))", doing: doing
            ).rows {
                let (externalID, id) = try row.decode((String, Int64).self)
                ids[externalID] = id
            }
            let known = activities.indices.compactMap { index in
                results[index] == nil ? activities[index].externalID.flatMap { ids[$0] }.map { (index: index, id: $0) } : nil
            }
            let columns = ActivityColumns(known.map { activities[$0.index] })
            try session.query(
                """
                UPDATE activities a SET client_id = v.client_id,
                  contact_id = CASE WHEN v.has_contact THEN v.contact_id END,
                  external_id = CASE WHEN v.has_external THEN v.external_id END, kind = v.kind, direction = v.direction,
                  occurred_at = v.occurred_at, subject = CASE WHEN v.has_subject THEN v.subject END,
                  body = CASE WHEN v.has_body THEN v.body END, sentiment = CASE WHEN v.has_sentiment THEN v.sentiment END
                FROM unnest(\(known.map(\.id)), \(columns.clientIDs), \(columns.hasContact), \(columns.contactIDs),
                  \(columns.hasExternal), \(columns.externalIDs), \(columns.kinds), \(columns.directions), \(columns.times),
                  \(columns.hasSubject), \(columns.subjects), \(columns.hasBody), \(columns.bodies), \(columns.hasSentiment),
                  \(columns.sentiments))
                  AS v (id, \(unescaped: ActivityColumns.names))
                WHERE a.id = v.id
                """, doing: doing)
            for (index, id) in known { results[index] = (id, .updated) }
        }
        if announcingCreation {
            try PostgresEventLog.append(
                session,
                results.enumerated().compactMap { index, result in
                    result.flatMap { $0.outcome == .created ? .activityLogged(activities[index], id: $0.id, at: now) : nil }
                })
        }
        return try activities.indices.map { index in
            // Neither inserted nor found: only if another writer removed it in between; stored alone, as one at a time.
            try results[index] ?? upsertActivity(session, activities[index], at: now, announcingCreation: announcingCreation)
        }
    }

    /// Activities as columns for `unnest`, a nullable one as its values and whether each is there (an array cannot
    /// hold NULL here), in `names`' order.
    private struct ActivityColumns {
        static let names = """
            client_id, has_contact, contact_id, has_external, external_id, kind, direction, occurred_at, has_subject, \
            subject, has_body, body, has_sentiment, sentiment
            """
        /// The columns of `activities`, in `INSERT`'s order, from `unnest`'s.
        static let select = """
            v.client_id, CASE WHEN v.has_contact THEN v.contact_id END, CASE WHEN v.has_external THEN v.external_id END, \
            v.kind, v.direction, v.occurred_at, CASE WHEN v.has_subject THEN v.subject END, \
            CASE WHEN v.has_body THEN v.body END, CASE WHEN v.has_sentiment THEN v.sentiment END
            """
        var clientIDs: [String], hasContact: [Bool], contactIDs: [Int64], hasExternal: [Bool], externalIDs: [String]
        var kinds: [String], directions: [String], times: [Double], hasSubject: [Bool], subjects: [String]
        var hasBody: [Bool], bodies: [String], hasSentiment: [Bool], sentiments: [Double]

        init(_ activities: [Activity]) {
            clientIDs = activities.map(\.clientID)
            hasContact = activities.map { $0.contactID != nil }
            contactIDs = activities.map { $0.contactID ?? 0 }
            hasExternal = activities.map { $0.externalID != nil }
            externalIDs = activities.map { $0.externalID ?? "" }
            kinds = activities.map(\.kind.rawValue)
            directions = activities.map(\.direction.rawValue)
            times = activities.map(\.occurredAt.timeIntervalSince1970)
            hasSubject = activities.map { $0.subject != nil }
            subjects = activities.map { $0.subject ?? "" }
            hasBody = activities.map { $0.body != nil }
            bodies = activities.map { $0.body ?? "" }
            hasSentiment = activities.map { $0.sentiment != nil }
            sentiments = activities.map { $0.sentiment ?? 0 }
        }
    }

    @discardableResult
    public func upsertTask(_ task: ClientTask) throws -> (id: Int64, outcome: UpsertOutcome) {
        try store.transaction(readOnly: false) { session in
            try Self.requireClient(session, task.clientID, lock: true)
            return try Self.upsertTask(session, task, at: now())
        }
    }

    /// `upsertTask(_:)` in a caller's transaction (an email intake's, an import's), its client known to exist (and
    /// held, for the match by title); a new one without its `task.created` when `announcingCreation` is false.
    @discardableResult
    static func upsertTask(
        _ session: PostgresSession, _ t: ClientTask, at now: Date, announcingCreation: Bool = true
    ) throws -> (id: Int64, outcome: UpsertOutcome) {
        let doing = "storing task \(t.title) of \(t.clientID)"
        var found: (id: Int64, status: String)?
        if let externalID = t.externalID {
            if let created = try Self.insertedID(
                session,
                """
                INSERT INTO tasks (client_id, external_id, title, due, status, priority, assignee)
                VALUES (\(t.clientID), \(t.externalID), \(t.title), \(t.due?.timeIntervalSince1970), \(t.status.rawValue),
                    \(t.priority.rawValue), \(t.assignee))
                ON CONFLICT (external_id) DO NOTHING RETURNING id
                """, doing: doing)
            {
                if announcingCreation { try PostgresEventLog.append(session, .taskCreated(t, id: created, at: now)) }
                return (created, .created)
            }
            found = try session.query(
                "SELECT id, status FROM tasks WHERE external_id = \(externalID)", doing: doing
            ).rows.first.map { try $0.decode((Int64, String).self) }.map { (id: $0.0, status: $0.1) }
        } else {
            found = try session.query(
                """
                SELECT id, status FROM tasks WHERE client_id = \(t.clientID) AND title = \(t.title)
                    AND external_id IS NULL ORDER BY id LIMIT 1
                """, doing: doing
            ).rows.first.map { try $0.decode((Int64, String).self) }.map { (id: $0.0, status: $0.1) }
        }
        if let existing = found?.id, let status = found?.status {
            try session.query(
                """
                UPDATE tasks SET client_id = \(t.clientID), external_id = \(t.externalID), title = \(t.title),
                    due = \(t.due?.timeIntervalSince1970), status = \(t.status.rawValue),
                    priority = \(t.priority.rawValue), assignee = \(t.assignee)
                WHERE id = \(existing)
                """, doing: doing)
            if let before = TaskStatus(rawValue: status), before != t.status {
                try PostgresEventLog.append(session, .taskStatusChanged(t, id: existing, from: before, at: now))
            }
            return (existing, .updated)
        }
        let id = try Self.insertTask(session, t)
        if announcingCreation { try PostgresEventLog.append(session, .taskCreated(t, id: id, at: now)) }
        return (id, .created)
    }

    @discardableResult
    public func upsertOrder(_ order: Order) throws -> (id: Int64, outcome: UpsertOutcome) {
        try store.transaction(readOnly: false) { session in
            try Self.requireClient(session, order.clientID)
            return try Self.upsertOrder(session, order, at: now())
        }
    }

    /// `ClientRecords.upsertOrder` in `session`'s transaction, its client known to exist: by external id.
    @discardableResult
    static func upsertOrder(_ session: PostgresSession, _ order: Order, at now: Date) throws
        -> (id: Int64, outcome: UpsertOutcome)
    {
        let o = order
        let doing = "storing an order of \(o.clientID)"
        if let externalID = o.externalID,
            let existing = try Self.insertedID(
                session, "SELECT id FROM orders WHERE external_id = \(externalID)", doing: doing)
        {
            try session.query(
                """
                UPDATE orders SET client_id = \(o.clientID), external_id = \(o.externalID), product = \(o.product),
                    quantity = \(o.quantity), amount = \(o.amount), currency = \(o.currency),
                    ordered_at = \(o.orderedAt.timeIntervalSince1970), status = \(o.status)
                WHERE id = \(existing)
                """, doing: doing)
            return (existing, .updated)
        }
        let id = try Self.insertedID(
            session,
            """
            INSERT INTO orders (client_id, external_id, product, quantity, amount, currency, ordered_at, status)
            VALUES (\(o.clientID), \(o.externalID), \(o.product), \(o.quantity), \(o.amount), \(o.currency),
                \(o.orderedAt.timeIntervalSince1970), \(o.status))
            RETURNING id
            """, doing: doing)
        guard let id else { throw PostgresStoreError(.queryFailed, "the insert of an order returned no id") }
        try PostgresEventLog.append(session, .orderRecorded(o, id: id, created: true, at: now))
        return (id, .created)
    }

    /// The first column of the first row of `query` (an id `RETURNING id` or a lookup gives), or nil.
    static func insertedID(_ session: PostgresSession, _ query: PostgresQuery, doing: String) throws -> Int64? {
        try session.query(query, doing: doing).rows.first?.decode(Int64.self)
    }
}
