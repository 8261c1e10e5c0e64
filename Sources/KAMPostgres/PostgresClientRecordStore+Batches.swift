import Foundation
import KAMCore
import PostgresNIO

/// The batch upserts of an import's contacts, tasks and memory items (`ImportSink.upsertContacts`, `upsertTasks`,
/// `upsertMemories`), as `upsertActivities` for activities: the records new to the store go in by one `INSERT …
/// SELECT FROM unnest … ORDER BY … ON CONFLICT DO NOTHING` (each takes its identity value in turn, as its own insert
/// would), and the rest (a key already stored) through the one-record upsert, which updates them. Each record is
/// answered in order, so the rows, ids and events are the ones the calls one at a time leave; a batch of a CSV
/// import's rows is then a few statements, not one a record (each a round trip).
extension PostgresClientRecordStore {
    /// Inserts `clients` (ids all different) in one statement, in order, `ON CONFLICT DO NOTHING`: the ids of the ones
    /// inserted (a client whose id or external id a row holds is not).
    static func insertClients(_ session: PostgresSession, _ clients: [Client]) throws -> Set<String> {
        guard let first = clients.first else { return [] }
        let external = nullable(clients, \.externalID, ""), industry = nullable(clients, \.industry, "")
        let budget = nullable(clients, \.monthlyBudget, 0), owner = nullable(clients, \.ownerID, "")
        let domain = nullable(clients, \.domain, ""), renewal = nullable(clients, { $0.renewalDate?.timeIntervalSince1970 }, 0)
        let rows = try session.query(
            """
            INSERT INTO clients (id, name, external_id, industry, tier, monthly_budget, currency, owner_id, domain,
                consent_ai_analysis, consent_training, lifecycle, lead_status, renewal_date, created_at, updated_at)
            SELECT v.id, v.name, CASE WHEN v.has_external THEN v.external_id END, CASE WHEN v.has_industry THEN v.industry END,
              v.tier, CASE WHEN v.has_budget THEN v.monthly_budget END, v.currency, CASE WHEN v.has_owner THEN v.owner_id END,
              CASE WHEN v.has_domain THEN v.domain END, v.consent_ai_analysis, v.consent_training, v.lifecycle, v.lead_status,
              CASE WHEN v.has_renewal THEN v.renewal_date END, v.created_at, v.updated_at
            FROM unnest(\(clients.map(\.id)), \(clients.map(\.name)), \(external.has), \(external.values), \(industry.has),
              \(industry.values), \(clients.map(\.tier.rawValue)), \(budget.has), \(budget.values), \(clients.map(\.currency)),
              \(owner.has), \(owner.values), \(domain.has), \(domain.values), \(clients.map(\.consentAIAnalysis)),
              \(clients.map(\.consentTraining)), \(clients.map(\.lifecycle.rawValue)), \(clients.map(\.leadStatus.rawValue)),
              \(renewal.has), \(renewal.values), \(clients.map(\.createdAt.timeIntervalSince1970)),
              \(clients.map(\.updatedAt.timeIntervalSince1970)))
              WITH ORDINALITY AS v (id, name, has_external, external_id, has_industry, industry, tier, has_budget,
                monthly_budget, currency, has_owner, owner_id, has_domain, domain, consent_ai_analysis, consent_training,
                lifecycle, lead_status, has_renewal, renewal_date, created_at, updated_at, n)
            ORDER BY n
            ON CONFLICT DO NOTHING RETURNING id
            """, doing: "adding \(clients.count) clients from \(first.id)")
        return Set(try rows.rows.map { try $0.decode(String.self) })
    }

    /// `upsertContact` for each of `contacts` (each with an external id, none twice: the caller's batch).
    static func upsertContacts(
        _ session: PostgresSession, _ contacts: [Contact], at now: Date, announcingCreation: Bool
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        guard let first = contacts.first else { return [] }
        let clientIDs = contacts.map(\.clientID), externalIDs = contacts.map { $0.externalID ?? "" }, names = contacts.map(\.name)
        let email = nullable(contacts, \.email, ""), phone = nullable(contacts, \.phone, ""), title = nullable(contacts, \.title, "")
        let roles = contacts.map(\.role.rawValue)
        let inserted = try idsByExternalID(
            session,
            """
            INSERT INTO contacts (client_id, external_id, name, email, phone, title, role)
            SELECT v.client_id, v.external_id, v.name, CASE WHEN v.has_email THEN v.email END,
              CASE WHEN v.has_phone THEN v.phone END, CASE WHEN v.has_title THEN v.title END, v.role
            FROM unnest(\(clientIDs), \(externalIDs), \(names), \(email.has), \(email.values), \(phone.has), \(phone.values),
              \(title.has), \(title.values), \(roles))
              WITH ORDINALITY AS v (client_id, external_id, name, has_email, email, has_phone, phone, has_title, title, role, n)
            ORDER BY n
            ON CONFLICT (external_id) DO NOTHING RETURNING id, external_id
            """, doing: "storing \(contacts.count) contacts of \(first.clientID) and the clients after it")
        return try answers(session, contacts, announcing: announcingCreation) { $0.externalID.flatMap { inserted[$0] } } created: {
            .contactCreated($0, id: $1, at: now)
        } stored: {
            try upsertContact(session, $0, at: now, announcingCreation: announcingCreation)
        }
    }

    /// `upsertTask` for each of `tasks` (each with an external id, none twice: the caller's batch).
    static func upsertTasks(
        _ session: PostgresSession, _ tasks: [ClientTask], at now: Date, announcingCreation: Bool
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        guard let first = tasks.first else { return [] }
        let clientIDs = tasks.map(\.clientID), externalIDs = tasks.map { $0.externalID ?? "" }, titles = tasks.map(\.title)
        let due = nullable(tasks, { $0.due?.timeIntervalSince1970 }, 0)
        let statuses = tasks.map(\.status.rawValue), priorities = tasks.map(\.priority.rawValue)
        let assignee = nullable(tasks, \.assignee, "")
        let inserted = try idsByExternalID(
            session,
            """
            INSERT INTO tasks (client_id, external_id, title, due, status, priority, assignee)
            SELECT v.client_id, v.external_id, v.title, CASE WHEN v.has_due THEN v.due END, v.status, v.priority,
              CASE WHEN v.has_assignee THEN v.assignee END
            FROM unnest(\(clientIDs), \(externalIDs), \(titles), \(due.has), \(due.values), \(statuses), \(priorities),
              \(assignee.has), \(assignee.values))
              WITH ORDINALITY AS v (client_id, external_id, title, has_due, due, status, priority, has_assignee, assignee, n)
            ORDER BY n
            ON CONFLICT (external_id) DO NOTHING RETURNING id, external_id
            """, doing: "storing \(tasks.count) tasks of \(first.clientID) and the clients after it")
        return try answers(session, tasks, announcing: announcingCreation) { $0.externalID.flatMap { inserted[$0] } } created: {
            .taskCreated($0, id: $1, at: now)
        } stored: {
            try upsertTask(session, $0, at: now, announcingCreation: announcingCreation)
        }
    }

    /// `upsertMemory` for each of `items` (no client and key twice: the caller's batch).
    static func upsertMemories(
        _ session: PostgresSession, _ items: [MemoryItem], announcingCreation: Bool
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        guard let first = items.first else { return [] }
        let clientIDs = items.map(\.clientID), kinds = items.map(\.kind.rawValue), keys = items.map(\.key)
        let values = items.map(\.value), sources = items.map(\.source), confidences = items.map(\.confidence)
        let times = items.map(\.updatedAt.timeIntervalSince1970)
        var inserted: [MemoryKey: Int64] = [:]
        for row in try session.query(
            """
            INSERT INTO client_memory (client_id, kind, key, value, source, confidence, updated_at)
            SELECT v.client_id, v.kind, v.key, v.value, v.source, v.confidence, v.updated_at
            FROM unnest(\(clientIDs), \(kinds), \(keys), \(values), \(sources), \(confidences), \(times))
              WITH ORDINALITY AS v (client_id, kind, key, value, source, confidence, updated_at, n)
            ORDER BY n
            ON CONFLICT (client_id, key) DO NOTHING RETURNING id, client_id, key
            """, doing: "remembering \(items.count) items of \(first.clientID) and the clients after it"
        ).rows {
            let (id, clientID, key) = try row.decode((Int64, String, String).self)
            inserted[MemoryKey(client: clientID, key: key)] = id
        }
        return try answers(session, items, announcing: announcingCreation) { inserted[MemoryKey(client: $0.clientID, key: $0.key)] } created: {
            .memoryRemembered($0, id: $1, created: true, at: $0.updatedAt)
        } stored: {
            try upsertMemory(session, $0, announcingCreation: announcingCreation)
        }
    }

    /// Each record's answer, in order: created under the id `inserted` gives it (with its `created` event when
    /// `announcing`), else `stored`'s (the one-record upsert, which finds the stored row and updates it).
    private static func answers<Record>(
        _ session: PostgresSession, _ records: [Record], announcing: Bool, inserted: (Record) -> Int64?,
        created: (Record, Int64) -> DomainEvent, stored: (Record) throws -> (id: Int64, outcome: UpsertOutcome)
    ) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try ImportBatch.each(records) { record in
            guard let id = inserted(record) else { return try stored(record) }
            if announcing { try PostgresEventLog.append(session, created(record, id)) }
            return (id, .created)
        }
    }

    /// A nullable column of `records` for `unnest`: whether each has a value, and the values (`absent` for none), as an
    /// array bound here cannot hold NULL.
    private static func nullable<Record, T>(_ records: [Record], _ value: (Record) -> T?, _ absent: T) -> (has: [Bool], values: [T]) {
        (records.map { value($0) != nil }, records.map { value($0) ?? absent })
    }

    /// The ids the rows an `INSERT … RETURNING id, external_id` inserted took, by external id.
    private static func idsByExternalID(_ session: PostgresSession, _ insert: PostgresQuery, doing: String) throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for row in try session.query(insert, doing: doing).rows {
            let (id, externalID) = try row.decode((Int64, String).self)
            ids[externalID] = id
        }
        return ids
    }

    private struct MemoryKey: Hashable {
        var client: String
        var key: String
    }
}
