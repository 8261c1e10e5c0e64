import Foundation
import GRDB
import KAMCore

/// Reads and writes of the foundation tables inside a caller's transaction.
///
/// `ClientStore` wraps these in its own transactions; the importer and other repositories call
/// them directly so a whole file lands in one transaction. Every statement is cached (prepared
/// once per connection), which is what makes bulk imports fast.
public enum ClientRecords {
    // MARK: Users

    /// Inserts or updates a user by id.
    @discardableResult
    public static func upsertUser(_ db: Database, _ user: User) throws -> UpsertOutcome {
        let exists =
            try db.cachedStatement(sql: "SELECT 1 FROM users WHERE id = ?").fetchInt64(storing: [user.id]) != nil
        if exists {
            try db.cachedStatement(sql: "UPDATE users SET name = ?, email = ?, team = ? WHERE id = ?")
                .execute(storing: [user.name, user.email, user.team, user.id])
            return .updated
        }
        if let other = try db.cachedStatement(sql: "SELECT id FROM users WHERE email = ?")
            .fetchFirst(storing: [user.email], { $0.text(0) }) ?? nil
        {
            throw StoreError.emailTaken(user.email, user: user.id, by: other)
        }
        try db.cachedStatement(sql: "INSERT INTO users (id, name, email, team) VALUES (?, ?, ?, ?)")
            .execute(storing: [user.id, user.name, user.email, user.team])
        return .created
    }

    // MARK: Clients

    /// Inserts or updates a client, matched by external id first, then by id, with its event: `client.created`
    /// for a new one, `lead.status-changed` when an update changes its lead status (unless `announcingLeadMove`
    /// is false: an import's second write of a client it created). `announcingCreation` false leaves a new client's
    /// `client.created` to the caller (`ImportedClientEvents`: a CSV import's `client.imported` stands for it).
    ///
    /// - Returns: the id of the stored row (an existing row matched by external id keeps its id)
    ///   and whether it was created.
    @discardableResult
    public static func upsertClient(
        _ db: Database, _ client: Client, at now: Date, announcingLeadMove: Bool = true, announcingCreation: Bool = true
    ) throws -> (id: String, outcome: UpsertOutcome) {
        guard !client.id.isEmpty, !client.name.isEmpty else {
            throw StoreError.unnamedClient(client.id)
        }
        if let owner = client.ownerID, try !userExists(db, owner) {
            throw StoreError.unknownOwner(owner, client: client.id)
        }
        var found: (id: String?, leadStatus: String?)?
        if let externalID = client.externalID {
            found = try db.cachedStatement(sql: "SELECT id, lead_status FROM clients WHERE external_id = ?")
                .fetchFirst(storing: [externalID]) { ($0.text(0), $0.text(1)) }
        }
        if found == nil {
            found = try db.cachedStatement(sql: "SELECT id, lead_status FROM clients WHERE id = ?")
                .fetchFirst(storing: [client.id]) { ($0.text(0), $0.text(1)) }
        }
        guard let found, let existing = found.id else {
            try insertClient(db, client, at: now, announcing: announcingCreation)
            return (client.id, .created)
        }
        try db.cachedStatement(
            sql: """
                UPDATE clients SET name = ?, external_id = ?, industry = ?, tier = ?, monthly_budget = ?,
                currency = ?, owner_id = ?, domain = ?, consent_ai_analysis = ?, consent_training = ?,
                lifecycle = ?, lead_status = ?, renewal_date = ?, updated_at = ? WHERE id = ?
                """
        ).execute { values in
            bind(client, to: &values)
            values.text(existing)
        }
        if announcingLeadMove, let before = found.leadStatus.flatMap(LeadStatus.init(rawValue:)), before != client.leadStatus {
            try EventLog.append(
                db,
                .leadStatusChanged(
                    LeadTransition(clientID: existing, from: before, to: client.leadStatus, automatic: false, reason: "", at: now)))
        }
        return (existing, .updated)
    }

    /// Inserts a client the caller knows is new (no row has its id or external id) and whose owner,
    /// if any, is a user, with its `client.created` event: an import that has just checked both skips
    /// `upsertClient`'s lookups. Without its event when `announcing` is false (`ImportedClientEvents` announces it).
    static func insertClient(
        _ db: Database, _ client: Client, at now: Date, announcing: Bool = true, prepared: PreparedWrites? = nil
    ) throws {
        try PreparedWrites.Kind.insertClient.statement(db, prepared).execute { values in bindInsert(client, to: &values) }
        if announcing { try EventLog.append(db, .clientCreated(client, at: now), prepared: prepared) }
    }

    /// A client's columns from `name` to `updated_at`, in the order of its INSERT and UPDATE.
    static func bind(_ client: Client, to values: inout StatementBinding) {
        values.text(client.name)
        values.text(client.externalID)
        values.text(client.industry)
        values.text(client.tier.rawValue)
        values.double(client.monthlyBudget)
        values.text(client.currency)
        values.text(client.ownerID)
        values.text(client.domain)
        values.bool(client.consentAIAnalysis)
        values.bool(client.consentTraining)
        values.text(client.lifecycle.rawValue)
        values.text(client.leadStatus.rawValue)
        values.time(client.renewalDate)
        values.time(client.updatedAt)
    }

    /// A new client's columns, in the order of `PreparedWrites.Kind.insertClient`: its own, then its id and creation.
    static func bindInsert(_ client: Client, to values: inout StatementBinding) {
        bind(client, to: &values)
        values.text(client.id)
        values.time(client.createdAt)
    }

    static func userExists(_ db: Database, _ id: String) throws -> Bool {
        try db.cachedStatement(sql: "SELECT 1 FROM users WHERE id = ?").fetchInt64(storing: [id]) != nil
    }

    static func requireClient(_ db: Database, _ id: String) throws {
        let exists = try db.cachedStatement(sql: "SELECT 1 FROM clients WHERE id = ?").fetchInt64(storing: [id]) != nil
        if !exists {
            throw StoreError.noClient(id)
        }
    }

    // MARK: Contacts

    /// Inserts or updates a contact, matched by external id, else by email, else by name, within its client;
    /// a new one with its `contact.created` event (unless `announcingCreation` is false, as `upsertClient`).
    @discardableResult
    public static func upsertContact(
        _ db: Database, _ contact: Contact, at now: Date, announcingCreation: Bool = true
    ) throws -> (id: Int64, outcome: UpsertOutcome) {
        try upsertContact(db, contact, at: now, announcingCreation: announcingCreation, prepared: nil)
    }

    /// `upsertContact` with an import's `prepared` statements.
    static func upsertContact(
        _ db: Database, _ contact: Contact, at now: Date, announcingCreation: Bool, prepared: PreparedWrites?
    ) throws -> (id: Int64, outcome: UpsertOutcome) {
        func values(_ values: inout StatementBinding) { bind(contact, to: &values) }
        var existing: Int64?
        if let externalID = contact.externalID {
            if let created = try PreparedWrites.Kind.insertContact.statement(db, prepared).insertedRowID(values) {
                if announcingCreation { try EventLog.append(db, .contactCreated(contact, id: created, at: now), prepared: prepared) }
                return (created, .created)
            }
            existing = try db.cachedStatement(sql: "SELECT id FROM contacts WHERE external_id = ?")
                .fetchInt64(storing: [externalID])
        } else if let email = contact.email {
            existing = try db.cachedStatement(sql: "SELECT id FROM contacts WHERE client_id = ? AND email = ?")
                .fetchInt64(storing: [contact.clientID, email])
        } else {
            existing = try db.cachedStatement(sql: "SELECT id FROM contacts WHERE client_id = ? AND name = ?")
                .fetchInt64(storing: [contact.clientID, contact.name])
        }
        if let existing {
            try db.cachedStatement(
                sql: """
                    UPDATE contacts SET client_id = ?, external_id = ?, name = ?, email = ?, phone = ?, title = ?,
                    role = ? WHERE id = ?
                    """
            ).execute { bound in
                values(&bound)
                bound.integer(existing)
            }
            return (existing, .updated)
        }
        try db.cachedStatement(
            sql: "INSERT INTO contacts (client_id, external_id, name, email, phone, title, role) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).execute(values)
        let id = db.lastInsertedRowID
        if announcingCreation { try EventLog.append(db, .contactCreated(contact, id: id, at: now)) }
        return (id, .created)
    }

    // MARK: Activities

    /// Inserts an activity with its `activity.logged` event (unless `announcingCreation` is false, as `upsertClient`),
    /// or updates the one with the same external id.
    @discardableResult
    public static func upsertActivity(
        _ db: Database, _ activity: Activity, at now: Date, announcingCreation: Bool = true
    ) throws -> (id: Int64, outcome: UpsertOutcome) {
        try upsertActivity(db, activity, at: now, announcingCreation: announcingCreation, prepared: nil)
    }

    /// `upsertActivity` with an import's `prepared` statements.
    static func upsertActivity(
        _ db: Database, _ activity: Activity, at now: Date, announcingCreation: Bool, prepared: PreparedWrites?
    ) throws -> (id: Int64, outcome: UpsertOutcome) {
        func values(_ values: inout StatementBinding) { bind(activity, to: &values) }
        // An INSERT ... ON CONFLICT DO NOTHING: an import's records are mostly new, and the insert's own check of the
        // unique index replaces a lookup before it.
        if let created = try PreparedWrites.Kind.insertActivity.statement(db, prepared).insertedRowID(values) {
            if announcingCreation { try EventLog.append(db, .activityLogged(activity, id: created, at: now), prepared: prepared) }
            return (created, .created)
        }
        // Not inserted: a row has this (non-nil) external id.
        let existing = try db.cachedStatement(sql: "SELECT id FROM activities WHERE external_id = ?")
            .fetchInt64(storing: [activity.externalID]) ?? 0
        try db.cachedStatement(
            sql: """
                UPDATE activities SET client_id = ?, contact_id = ?, external_id = ?, kind = ?, direction = ?,
                occurred_at = ?, subject = ?, body = ?, sentiment = ? WHERE id = ?
                """
        ).execute { bound in
            values(&bound)
            bound.integer(existing)
        }
        return (existing, .updated)
    }

    // MARK: Deals

    /// Inserts or updates a deal (by external id, else by name within the client) and replaces its
    /// stage history; a deal without history gets one entry for its current stage. A new deal, or one whose
    /// stage the update changes, gets its `deal.stage-changed` event.
    @discardableResult
    public static func upsertDeal(_ db: Database, _ deal: Deal, at now: Date) throws -> (id: Int64, outcome: UpsertOutcome) {
        var found: (id: Int64, stage: String?)?
        if let externalID = deal.externalID {
            found = try db.cachedStatement(sql: "SELECT id, stage FROM deals WHERE external_id = ?")
                .fetchFirst(storing: [externalID]) { ($0.int64(0), $0.text(1)) }
        } else {
            found = try db.cachedStatement(
                sql: "SELECT id, stage FROM deals WHERE client_id = ? AND name = ? AND external_id IS NULL"
            ).fetchFirst(storing: [deal.clientID, deal.name]) { ($0.int64(0), $0.text(1)) }
        }
        let existing = found?.id
        let before = found?.stage.flatMap(DealStage.init(rawValue:))
        let values: [(any DatabaseValueConvertible)?] = [
            deal.clientID, deal.externalID, deal.name, deal.stage.rawValue, deal.amount, deal.currency,
            deal.closeDate?.timeIntervalSince1970, deal.probability, deal.stageEnteredAt.timeIntervalSince1970,
        ]
        let id: Int64
        let outcome: UpsertOutcome
        if let existing {
            try db.cachedStatement(
                sql: """
                    UPDATE deals SET client_id = ?, external_id = ?, name = ?, stage = ?, amount = ?, currency = ?,
                    close_date = ?, probability = ?, stage_entered_at = ? WHERE id = ?
                    """
            ).execute(storing: values + [existing])
            try db.cachedStatement(sql: "DELETE FROM deal_stage_history WHERE deal_id = ?").execute(arguments: [existing])
            (id, outcome) = (existing, .updated)
        } else {
            try db.cachedStatement(
                sql: """
                    INSERT INTO deals (client_id, external_id, name, stage, amount, currency, close_date, probability,
                    stage_entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(storing: values)
            (id, outcome) = (db.lastInsertedRowID, .created)
        }
        let history = deal.history.isEmpty ? [DealStageChange(stage: deal.stage, enteredAt: deal.stageEnteredAt)] : deal.history
        for change in history { try appendStage(db, dealID: id, change) }
        if existing == nil || before != deal.stage {
            try EventLog.append(
                db, .dealStageChanged(dealID: id, clientID: deal.clientID, from: before, to: deal.stage, by: nil, at: now))
        }
        return (id, outcome)
    }

    // MARK: Tasks

    /// Inserts or updates a task, by external id, else by title within the client, with its event: `task.created`
    /// for a new one (unless `announcingCreation` is false, as `upsertClient`), `task.status-changed` when an update
    /// changes its status.
    @discardableResult
    public static func upsertTask(
        _ db: Database, _ task: ClientTask, at now: Date, announcingCreation: Bool = true
    ) throws -> (id: Int64, outcome: UpsertOutcome) {
        try upsertTask(db, task, at: now, announcingCreation: announcingCreation, prepared: nil)
    }

    /// `upsertTask` with an import's `prepared` statements.
    static func upsertTask(
        _ db: Database, _ task: ClientTask, at now: Date, announcingCreation: Bool, prepared: PreparedWrites?
    ) throws -> (id: Int64, outcome: UpsertOutcome) {
        func values(_ values: inout StatementBinding) { bind(task, to: &values) }
        var found: (id: Int64, status: String?)?
        if let externalID = task.externalID {
            if let created = try PreparedWrites.Kind.insertTask.statement(db, prepared).insertedRowID(values) {
                if announcingCreation { try EventLog.append(db, .taskCreated(task, id: created, at: now), prepared: prepared) }
                return (created, .created)
            }
            found = try db.cachedStatement(sql: "SELECT id, status FROM tasks WHERE external_id = ?")
                .fetchFirst(storing: [externalID]) { ($0.int64(0), $0.text(1)) }
        } else {
            found = try db.cachedStatement(
                sql: "SELECT id, status FROM tasks WHERE client_id = ? AND title = ? AND external_id IS NULL"
            ).fetchFirst(storing: [task.clientID, task.title]) { ($0.int64(0), $0.text(1)) }
        }
        if let existing = found?.id {
            try db.cachedStatement(
                sql: """
                    UPDATE tasks SET client_id = ?, external_id = ?, title = ?, due = ?, status = ?, priority = ?,
                    assignee = ? WHERE id = ?
                    """
            ).execute { bound in
                values(&bound)
                bound.integer(existing)
            }
            if let before = found?.status.flatMap(TaskStatus.init(rawValue:)), before != task.status {
                try EventLog.append(db, .taskStatusChanged(task, id: existing, from: before, at: now))
            }
            return (existing, .updated)
        }
        try db.cachedStatement(
            sql: "INSERT INTO tasks (client_id, external_id, title, due, status, priority, assignee) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).execute(values)
        let id = db.lastInsertedRowID
        if announcingCreation { try EventLog.append(db, .taskCreated(task, id: id, at: now)) }
        return (id, .created)
    }

    // MARK: Orders

    /// Inserts an order, or updates the one with the same external id.
    @discardableResult
    public static func upsertOrder(_ db: Database, _ order: Order, at now: Date) throws -> (id: Int64, outcome: UpsertOutcome) {
        var existing: Int64?
        if let externalID = order.externalID {
            existing = try db.cachedStatement(sql: "SELECT id FROM orders WHERE external_id = ?")
                .fetchInt64(storing: [externalID])
        }
        let values: [(any DatabaseValueConvertible)?] = [
            order.clientID, order.externalID, order.product, order.quantity, order.amount, order.currency,
            order.orderedAt.timeIntervalSince1970, order.status,
        ]
        if let existing {
            try db.cachedStatement(
                sql: """
                    UPDATE orders SET client_id = ?, external_id = ?, product = ?, quantity = ?, amount = ?,
                    currency = ?, ordered_at = ?, status = ? WHERE id = ?
                    """
            ).execute(storing: values + [existing])
            return (existing, .updated)
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO orders (client_id, external_id, product, quantity, amount, currency, ordered_at, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(storing: values)
        let id = db.lastInsertedRowID
        try EventLog.append(db, .orderRecorded(order, id: id, created: true, at: now))
        return (id, .created)
    }

    // MARK: Memory

    /// Remembers a fact or preference: the same client and key replaces the previous value. A new item, or one whose
    /// kind, value, source or confidence the replacement changes (by hand, an import, an email), gets its
    /// `memory.remembered` event (a new item's left to the caller when `announcingCreation` is false, as `upsertClient`).
    @discardableResult
    public static func upsertMemory(
        _ db: Database, _ item: MemoryItem, announcingCreation: Bool = true
    ) throws -> (id: Int64, outcome: UpsertOutcome) {
        try upsertMemory(db, item, announcingCreation: announcingCreation, prepared: nil)
    }

    /// `upsertMemory` with an import's `prepared` statements.
    static func upsertMemory(
        _ db: Database, _ item: MemoryItem, announcingCreation: Bool, prepared: PreparedWrites?
    ) throws -> (id: Int64, outcome: UpsertOutcome) {
        func values(_ values: inout StatementBinding) { bind(item, to: &values) }
        let created = try PreparedWrites.Kind.insertMemory.statement(db, prepared).insertedRowID { bindInsert(item, to: &$0) }
        if let created {
            if announcingCreation {
                try EventLog.append(db, .memoryRemembered(item, id: created, created: true, at: item.updatedAt), prepared: prepared)
            }
            return (created, .created)
        }
        // Not inserted: the client already has this key.
        let before = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, kind, value, source, confidence FROM client_memory WHERE client_id = ? AND key = ?"),
            arguments: .storing([item.clientID, item.key]))
        let existing: Int64 = before?["id"] ?? 0
        try db.cachedStatement(
            sql: "UPDATE client_memory SET kind = ?, value = ?, source = ?, confidence = ?, updated_at = ? WHERE id = ?"
        ).execute { bound in
            values(&bound)
            bound.integer(existing)
        }
        let unchanged =
            (before?["kind"] as String?) == item.kind.rawValue && (before?["value"] as String?) == item.value
            && (before?["source"] as String?) == item.source && (before?["confidence"] as Double?) == item.confidence
        if !unchanged { try EventLog.append(db, .memoryRemembered(item, id: existing, created: false, at: item.updatedAt)) }
        return (existing, .updated)
    }

    // MARK: Columns

    /// A contact's columns, in the order of its INSERTs and UPDATE.
    static func bind(_ contact: Contact, to values: inout StatementBinding) {
        values.text(contact.clientID)
        values.text(contact.externalID)
        values.text(contact.name)
        values.text(contact.email)
        values.text(contact.phone)
        values.text(contact.title)
        values.text(contact.role.rawValue)
    }

    /// An activity's columns, in the order of its INSERT and UPDATE.
    static func bind(_ activity: Activity, to values: inout StatementBinding) {
        values.text(activity.clientID)
        values.integer(activity.contactID)
        values.text(activity.externalID)
        values.text(activity.kind.rawValue)
        values.text(activity.direction.rawValue)
        values.time(activity.occurredAt)
        values.text(activity.subject)
        values.text(activity.body)
        values.double(activity.sentiment)
    }

    /// A task's columns, in the order of its INSERTs and UPDATE.
    static func bind(_ task: ClientTask, to values: inout StatementBinding) {
        values.text(task.clientID)
        values.text(task.externalID)
        values.text(task.title)
        values.time(task.due)
        values.text(task.status.rawValue)
        values.text(task.priority.rawValue)
        values.text(task.assignee)
    }

    /// A memory item's columns from `kind` to `updated_at`, in the order of its INSERT and UPDATE (the INSERT adds
    /// `client_id` and `key`).
    static func bind(_ item: MemoryItem, to values: inout StatementBinding) {
        values.text(item.kind.rawValue)
        values.text(item.value)
        values.text(item.source)
        values.double(item.confidence)
        values.time(item.updatedAt)
    }

    /// A new memory item's columns, in the order of `PreparedWrites.Kind.insertMemory`: its own, then client and key.
    static func bindInsert(_ item: MemoryItem, to values: inout StatementBinding) {
        bind(item, to: &values)
        values.text(item.clientID)
        values.text(item.key)
    }
}
