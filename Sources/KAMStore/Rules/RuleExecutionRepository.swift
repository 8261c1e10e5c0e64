import Foundation
import GRDB
import KAMCore

/// The rules engine's log and writes (`rule_executions`): an execution and every write of its actions commit in
/// one transaction, so a crash leaves either both or neither; the log's unique key (rule, cause, client) makes a
/// second execution of the same cause a no-op, so an event handled twice never doubles an action.
public struct RuleExecutionRepository: Sendable {
    public let store: ClientStore

    public init(store: ClientStore) {
        self.store = store
    }

    /// Records `requests` in order in one transaction, each as `record(_:in:)` does; each stored execution, or nil
    /// for one whose rule, cause and client were already executed.
    @discardableResult
    public func record(_ requests: [RuleExecutionRequest], clock: @Sendable () -> Date) throws -> [RuleExecution?] {
        guard !requests.isEmpty else { return [] }
        return try store.writer.write { db in try requests.map { try Self.record($0, in: db, clock: clock) } }
    }

    /// Logs a request's execution and, unless its chain or its cooldown stops it (checked here, so that earlier
    /// executions of the same transaction count), makes its writes; the events the writes append are stamped with
    /// the fired event's chain one deeper (a root of 0 for a run without an event, a schedule's or a test's, whose
    /// first written event becomes the root).
    /// - Returns: the stored execution with each action's outcome, or nil when this rule, cause and client were
    ///   already executed (nothing is written then).
    static func record(_ request: RuleExecutionRequest, in db: Database, clock: @Sendable () -> Date) throws -> RuleExecution? {
        let began = clock()
        var execution = request.execution
        var writes = request.writes
        if execution.status == .skipped {
            writes = []
        } else if let (status, reason) = try stop(db, request) {
            execution.status = status
            execution.stopReason = reason
            writes = []
        }
        var stored = execution
        // One prepared statement for every execution of the connection (`cachedStatement`), the conditions written by
        // hand (`Condition.jsonText`): a batch of events logs thousands of rows, most of them skipped records.
        try db.cachedStatement(
            sql: """
                INSERT INTO rule_executions (rule, cause, event_id, client_id, chain_root, chain_depth, status,
                    stop_reason, conditions, actions, started_at, duration_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?)
                ON CONFLICT(rule, cause, client_id) DO NOTHING
                """
        ).execute(storing: [
            execution.rule, execution.cause, execution.eventID, execution.clientID, execution.chainRoot,
            execution.chainDepth, execution.status.rawValue, execution.stopReason,
            RuleEvaluation.Condition.jsonText(execution.conditions), execution.startedAt.timeIntervalSince1970,
            execution.durationMilliseconds,
        ])
        guard db.changesCount > 0 else { return nil }
        stored.id = db.lastInsertedRowID
        // A rule that did not match: the compact record, with no actions.
        guard execution.status != .skipped else { return stored }
        let lastEvent = try db.cachedStatement(sql: "SELECT MAX(id) FROM events").fetchInt64(storing: []) ?? 0
        stored.actions = []
        for (action, write) in writes {
            // Each action in a savepoint: one refused write (a client deleted meanwhile) is logged as failed and
            // leaves the others standing.
            var outcome = RuleActionOutcome(action: action, outcome: "failed", detail: "")
            do {
                try db.inSavepoint {
                    outcome = try Self.make(db, write, execution: stored, action: action, now: execution.startedAt)
                    return .commit
                }
            } catch {
                outcome.detail = "\(error)"
            }
            stored.actions.append(outcome)
        }
        if execution.status == .fired, !writes.isEmpty {
            let chain = request.chain?.next ?? RuleChain(root: 0, depth: 1)
            try db.cachedStatement(sql: "UPDATE events SET chain_root = ?, chain_depth = ? WHERE id > ?")
                .execute(storing: [chain.root == 0 ? lastEvent + 1 : chain.root, chain.depth, lastEvent])
        }
        // The time deciding it took (measured by the caller) and the time recording it took.
        stored.durationMilliseconds = max(0, execution.durationMilliseconds + clock().timeIntervalSince(began) * 1000)
        try db.cachedStatement(sql: "UPDATE rule_executions SET actions = ?, duration_ms = ? WHERE id = ?")
            .execute(storing: [RuleActionOutcome.jsonText(stored.actions), stored.durationMilliseconds, stored.id])
        return stored
    }

    /// How the request's chain (`stopped`) or its rule's cooldown (`cooldown`) stops it, with the reason; nil when
    /// it fires.
    private static func stop(_ db: Database, _ request: RuleExecutionRequest) throws -> (RuleExecution.Status, String)? {
        let execution = request.execution
        if let chain = request.chain, let stop = chain.stop(firedInChain: try firedInChain(db, execution, root: chain.root)) {
            return (.stopped, stop.rawValue)
        }
        if request.cooldownDays > 0, let last = try lastFired(db, execution),
            execution.startedAt.timeIntervalSince(last) < Double(request.cooldownDays) * 86_400
        {
            return (.cooldown, "fired \(UTCTimestamp.dateTime(last)), within \(request.cooldownDays) days")
        }
        return nil
    }

    /// Whether `request`, recorded now, would make its writes: not executed yet for its rule, cause and client, and
    /// neither its chain nor its cooldown stops it. Asked before a write costs something (a model call).
    public func fires(_ request: RuleExecutionRequest) throws -> Bool {
        try store.writer.read { db in
            let execution = request.execution
            let executed =
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM rule_executions WHERE rule = ? AND cause = ? AND client_id = ?)",
                    arguments: [execution.rule, execution.cause, execution.clientID]) ?? false
            return try !executed && Self.stop(db, request) == nil
        }
    }

    /// Whether the execution's rule fired for its client in the chain rooted at `root`.
    private static func firedInChain(_ db: Database, _ execution: RuleExecution, root: Int64) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT EXISTS (SELECT 1 FROM rule_executions
                    WHERE chain_root = ? AND rule = ? AND client_id = ? AND status = 'fired')
                    """),
            arguments: [root, execution.rule, execution.clientID]) ?? false
    }

    /// When the execution's rule last fired for its client, if ever.
    private static func lastFired(_ db: Database, _ execution: RuleExecution) throws -> Date? {
        try Double.fetchOne(
            db.cachedStatement(
                sql: "SELECT MAX(started_at) FROM rule_executions WHERE client_id = ? AND rule = ? AND status = 'fired'"),
            arguments: [execution.clientID, execution.rule]
        ).map(Date.init(timeIntervalSince1970:))
    }

    /// Executions, newest first, of `rule`, client `clientID` (and only of `clientIDs`), `status` and started at or
    /// after `since` when given; `limit` of them after the first `offset`.
    public func log(
        rule: String? = nil, clientIDs: Set<String>? = nil, clientID: String? = nil, status: RuleExecution.Status? = nil,
        since: Date? = nil, limit: Int = 50, offset: Int = 0
    ) throws -> [RuleExecution] {
        try store.writer.read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let status {
                clauses.append("status = ?")
                arguments += [status.rawValue]
            }
            if let rule {
                clauses.append("rule = ?")
                arguments += [rule]
            }
            if let clientID {
                clauses.append("client_id = ?")
                arguments += [clientID]
            }
            if let clientIDs {
                clauses.append("client_id IN (SELECT value FROM json_each(?))")
                arguments += [JSONValue.array(clientIDs.sorted().map(JSONValue.string)).compactJSONText]
            }
            if let since {
                clauses.append("started_at >= ?")
                arguments += [since.timeIntervalSince1970]
            }
            let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            arguments += [limit, offset]
            return try Row.fetchAll(
                db, sql: "SELECT * FROM rule_executions \(filter) ORDER BY id DESC LIMIT ? OFFSET ?", arguments: arguments
            ).map(Self.execution)
        }
    }

    /// Makes one write; what it did.
    private static func make(
        _ db: Database, _ write: RuleWrite, execution: RuleExecution, action: String, now: Date
    ) throws -> RuleActionOutcome {
        func done(_ detail: String) -> RuleActionOutcome { RuleActionOutcome(action: action, outcome: "done", detail: detail) }
        func skipped(_ detail: String) -> RuleActionOutcome {
            RuleActionOutcome(action: action, outcome: "skipped", detail: detail)
        }
        let clientID = execution.clientID
        switch write {
        case .suggestion(let suggestion):
            let stored = try SuggestionRepository.insert(db, suggestion, now: now)
            return RuleActionOutcome.suggestion(action, suggestion, stored: stored)
        case .draft(let draft):
            try DraftRepository.insert(db, draft)
            return RuleActionOutcome.draft(action, draft)
        case .draftFallback(let reason, let suggestion):
            let stored = try SuggestionRepository.insert(db, suggestion, now: now)
            return RuleActionOutcome.draftFallback(action, reason: reason, suggestion, stored: stored)
        case .task(let task):
            let stored = try ClientStore.insertTask(db, task, at: now)
            return done("task \(stored.id ?? 0)" + (task.assignee.map { " for \($0)" } ?? ""))
        case .notification(let userID, let title, let body):
            let id = try NotificationRepository.insert(
                db, userID: userID, clientID: clientID, causeEventID: execution.eventID, rule: execution.rule, title: title,
                body: body, at: now)
            return done("notification \(id) for \(userID)")
        case .leadStatus(let status):
            guard let current = try String.fetchOne(db, sql: "SELECT lead_status FROM clients WHERE id = ?", arguments: [clientID])
                .flatMap(LeadStatus.init(rawValue:))
            else { throw StoreError(.clientNotFound, "no client has id '\(clientID)'") }
            guard current != status else { return skipped("the lead status is already \(status.rawValue)") }
            try HealthRepository.apply(
                db,
                LeadTransition(
                    clientID: clientID, from: current, to: status, automatic: true, reason: "rule \(execution.rule)", at: now))
            return done("lead status \(current.rawValue) -> \(status.rawValue)")
        case .planItem(let userID, let clientName, let title, let reason):
            guard
                let planID = try Int64.fetchOne(
                    db, sql: "SELECT id FROM daily_plans WHERE user_id = ? ORDER BY day DESC LIMIT 1", arguments: [userID])
            else { return skipped("\(userID) has no stored daily plan") }
            try db.execute(
                sql: """
                    INSERT INTO daily_plan_items (plan_id, position, client_id, client_name, source, target, title, reason,
                        score, win_probability, talking_point)
                    VALUES (?, (SELECT COALESCE(MAX(position) + 1, 0) FROM daily_plan_items WHERE plan_id = ?), ?, ?, ?, ?,
                        ?, ?, 0, NULL, '')
                    """,
                arguments: [
                    planID, planID, clientID, clientName, PlanItem.Source.rule.rawValue, "client:\(clientID)", title, reason,
                ])
            return done("item \(db.lastInsertedRowID) in plan \(planID) of \(userID)")
        case .webhook(let name):
            let id = try EventLog.append(
                db,
                .ruleWebhook(
                    name: name, rule: execution.rule, clientID: clientID, causeEventID: execution.eventID,
                    executionID: execution.id, at: now))
            return done("event \(id) rule.webhook")
        case .assignOwner(let userID):
            guard let row = try Row.fetchOne(db, sql: "SELECT owner_id FROM clients WHERE id = ?", arguments: [clientID]) else {
                throw StoreError(.clientNotFound, "no client has id '\(clientID)'")
            }
            if let owner: String = row["owner_id"] { return skipped("already owned by \(owner)") }
            try db.execute(
                sql: "UPDATE clients SET owner_id = ?, updated_at = ? WHERE id = ?",
                arguments: [userID, now.timeIntervalSince1970, clientID])
            try EventLog.append(db, .clientOwnerAssigned(clientID: clientID, ownerID: userID, rule: execution.rule, at: now))
            return done("owner \(userID)")
        case .acceptEnrichment(let fields, let minimum):
            let accepted = try LeadProposalRepository.accept(
                db, clientID: clientID, fields: fields, minConfidence: minimum, by: "rule:\(execution.rule)", at: now)
            return RuleActionOutcome.acceptedEnrichment(action, accepted, fields: fields, minimum: minimum)
        case .note(let text, let ok):
            return RuleActionOutcome(action: action, outcome: ok ? "done" : "skipped", detail: text)
        }
    }

    static func execution(_ row: Row) -> RuleExecution {
        let decoder = JSONDecoder()
        return RuleExecution(
            id: row["id"], rule: row["rule"], cause: row["cause"], eventID: row["event_id"], clientID: row["client_id"],
            chainRoot: row["chain_root"], chainDepth: row["chain_depth"],
            status: RuleExecution.Status(rawValue: row["status"]) ?? .fired, stopReason: row["stop_reason"],
            conditions: (try? decoder.decode([RuleEvaluation.Condition].self, from: Data((row["conditions"] as String).utf8))) ?? [],
            actions: (try? decoder.decode([RuleActionOutcome].self, from: Data((row["actions"] as String).utf8))) ?? [],
            startedAt: Date(timeIntervalSince1970: row["started_at"]), durationMilliseconds: row["duration_ms"])
    }
}
