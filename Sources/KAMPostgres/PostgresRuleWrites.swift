import Foundation
import KAMCore
import PostgresNIO

/// The writes of a rule's actions on PostgreSQL (`RuleWrite`), each inside the execution's transaction, as
/// `RuleExecutionRepository.make` makes them on SQLite, with the same outcomes and events.
enum PostgresRuleWrites {
    /// Makes one write of `execution`'s action `action`; what it did.
    static func make(_ session: PostgresSession, _ write: RuleWrite, execution: RuleExecution, action: String) throws
        -> RuleActionOutcome
    {
        func done(_ detail: String) -> RuleActionOutcome {
            RuleActionOutcome(action: action, outcome: "done", detail: detail)
        }
        func skipped(_ detail: String) -> RuleActionOutcome {
            RuleActionOutcome(action: action, outcome: "skipped", detail: detail)
        }
        let clientID = execution.clientID
        let now = execution.startedAt
        switch write {
        case .suggestion(let suggestion):
            let stored = try PostgresSuggestionStore.insert(session, suggestion, now: now)
            return RuleActionOutcome.suggestion(action, suggestion, stored: stored)
        case .draft(let draft):
            try PostgresDraftStore.insert(session, draft, detail: draft.hint)
            return RuleActionOutcome.draft(action, draft)
        case .draftFallback(let reason, let suggestion):
            let stored = try PostgresSuggestionStore.insert(session, suggestion, now: now)
            return RuleActionOutcome.draftFallback(action, reason: reason, suggestion, stored: stored)
        case .task(let task):
            let id = try insertTask(session, task, at: now)
            return done("task \(id)" + (task.assignee.map { " for \($0)" } ?? ""))
        case .notification(let userID, let title, let body):
            let id = try PostgresNotifications.insert(
                session, userID: userID, clientID: clientID, causeEventID: execution.eventID, rule: execution.rule,
                title: title, body: body, at: now)
            return done("notification \(id) for \(userID)")
        case .leadStatus(let status):
            let raw = try session.query(
                "SELECT lead_status FROM clients WHERE id = \(clientID)", doing: "reading the lead of \(clientID)"
            ).rows.first?.decode(String.self)
            guard let current = raw.flatMap(LeadStatus.init(rawValue:)) else {
                throw StoreError(.clientNotFound, "no client has id '\(clientID)'")
            }
            guard current != status else { return skipped("the lead status is already \(status.rawValue)") }
            try PostgresHealthStore.apply(
                session,
                LeadTransition(
                    clientID: clientID, from: current, to: status, automatic: true, reason: "rule \(execution.rule)",
                    at: now))
            return done("lead status \(current.rawValue) -> \(status.rawValue)")
        case .planItem(let userID, let clientName, let title, let reason):
            // The plan's row is locked so that two processes adding items to it take the next positions in turn.
            guard
                let planID = try session.query(
                    """
                    SELECT id FROM daily_plans WHERE user_id = \(userID) ORDER BY day DESC LIMIT 1 FOR NO KEY UPDATE
                    """, doing: "reading the latest plan of \(userID)"
                ).rows.first?.decode(Int64.self)
            else { return skipped("\(userID) has no stored daily plan") }
            let item = try session.query(
                """
                INSERT INTO daily_plan_items (plan_id, position, client_id, client_name, source, target, title, reason,
                    score, win_probability, talking_point)
                VALUES (\(planID),
                    (SELECT COALESCE(MAX(position) + 1, 0) FROM daily_plan_items WHERE plan_id = \(planID)),
                    \(clientID), \(clientName), \(PlanItem.Source.rule.rawValue), \("client:\(clientID)"), \(title),
                    \(reason), 0, NULL, '')
                RETURNING id
                """, doing: "adding an item to plan \(planID)"
            ).rows.first?.decode(Int64.self)
            return done("item \(item ?? 0) in plan \(planID) of \(userID)")
        case .webhook(let name):
            let id = try PostgresEventLog.append(
                session,
                .ruleWebhook(
                    name: name, rule: execution.rule, clientID: clientID, causeEventID: execution.eventID,
                    executionID: execution.id, at: now))
            return done("event \(id) rule.webhook")
        case .assignOwner(let userID):
            // A compare-and-set: a client another process gave an owner meanwhile keeps it.
            let assigned = try session.query(
                """
                UPDATE clients SET owner_id = \(userID), updated_at = \(now.timeIntervalSince1970)
                WHERE id = \(clientID) AND owner_id IS NULL
                """, doing: "assigning client \(clientID) to \(userID)"
            ).metadata.rows ?? 0
            guard assigned > 0 else {
                guard
                    let row = try session.query(
                        "SELECT owner_id FROM clients WHERE id = \(clientID)", doing: "reading the owner of \(clientID)"
                    ).rows.first
                else { throw StoreError(.clientNotFound, "no client has id '\(clientID)'") }
                let owner = try row.decode(String?.self) ?? ""
                return skipped("already owned by \(owner)")
            }
            try PostgresEventLog.append(
                session, .clientOwnerAssigned(clientID: clientID, ownerID: userID, rule: execution.rule, at: now))
            return done("owner \(userID)")
        case .acceptEnrichment(let fields, let minimum):
            let accepted = try PostgresLeadProposalStore.accept(
                session, clientID: clientID, fields: fields, minConfidence: minimum, by: "rule:\(execution.rule)",
                at: now)
            return RuleActionOutcome.acceptedEnrichment(action, accepted, fields: fields, minimum: minimum)
        case .note(let text, let ok):
            return RuleActionOutcome(action: action, outcome: ok ? "done" : "skipped", detail: text)
        }
    }

    /// Adds a task to its client with its `task.created` event; its id.
    private static func insertTask(_ session: PostgresSession, _ task: ClientTask, at now: Date) throws -> Int64 {
        guard try PostgresClientRecordStore.lockClient(session, task.clientID, doing: "locking client \(task.clientID)") else {
            throw StoreError(.clientNotFound, "no client has id '\(task.clientID)'; `kam clients list` shows the ids")
        }
        guard
            let id = try session.query(
                """
                INSERT INTO tasks (client_id, external_id, title, due, status, priority, assignee)
                VALUES (\(task.clientID), \(task.externalID), \(task.title), \(task.due?.timeIntervalSince1970),
                    \(task.status.rawValue), \(task.priority.rawValue), \(task.assignee))
                RETURNING id
                """, doing: "adding a task to client \(task.clientID)"
            ).rows.first?.decode(Int64.self)
        else { throw PostgresStoreError(.queryFailed, "the insert of a task of \(task.clientID) returned no id") }
        var stored = task
        stored.id = id
        try PostgresEventLog.append(session, .taskCreated(stored, id: id, at: now))
        return id
    }
}
