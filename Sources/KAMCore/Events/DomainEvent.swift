import Foundation

/// One domain event, ready to append: its kind, the client and record it is about, a payload of ids and
/// states (never text a client or a person wrote: no names, subjects, bodies or reasons), and when it
/// happened. Only the constructors below make one, so every payload of a kind has the same shape
/// (`docs/events.md`); the store appends it in the transaction of the write it describes.
public struct DomainEvent: Sendable, Hashable {
    public var kind: EventKind
    public var clientID: String?
    /// The record the event is about (a client, contact, activity, deal, task, suggestion, draft, email or job run).
    public var subjectID: String?
    /// Besides these fields, the stored payload repeats `client_id` and `id` (the subject).
    public var payload: [String: JSONValue] {
        get { fields.members }
        set { fields = .members(newValue) }
    }
    public var at: Date
    /// The payload as the constructor made it (`Fields`).
    var fields: Fields

    init(_ kind: EventKind, clientID: String?, subjectID: String?, _ payload: [String: JSONValue], at: Date) {
        self.init(kind, clientID: clientID, subjectID: subjectID, fields: .members(payload), at: at)
    }

    init(_ kind: EventKind, clientID: String?, subjectID: String?, fields: Fields, at: Date) {
        self.kind = kind
        self.clientID = clientID
        self.subjectID = subjectID
        self.fields = fields
        self.at = at
    }

    /// Equal when the kinds, ids, payloads and times are, however each payload is kept.
    public static func == (lhs: DomainEvent, rhs: DomainEvent) -> Bool {
        lhs.kind == rhs.kind && lhs.clientID == rhs.clientID && lhs.subjectID == rhs.subjectID && lhs.at == rhs.at
            && lhs.payload == rhs.payload
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(clientID)
        hasher.combine(subjectID)
        hasher.combine(payload)
        hasher.combine(at)
    }

    /// The stored payload: the fields, `client_id` and `id`, as compact JSON with sorted keys.
    public var payloadText: String {
        clientImportedPayloadText ?? generalPayloadText
    }

    /// `payloadText` for any payload: its members and the two ids gathered, sorted and written.
    var generalPayloadText: String {
        // Members gathered in an array, not by copying the dictionary and adding two keys: an import appends
        // an event for every record it creates.
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(payload.count + 2)
        for member in payload where !(member.key == "client_id" && clientID != nil) && !(member.key == "id" && subjectID != nil) {
            members.append(member)
        }
        if let clientID { members.append((key: "client_id", value: .string(clientID))) }
        if let subjectID { members.append((key: "id", value: .string(subjectID))) }
        return JSONValue.compactObjectText(members)
    }

    /// An RFC 3339 time in UTC, or null.
    static func time(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(timeText(date))
    }

    /// An RFC 3339 time in UTC as a payload prints it (whole seconds, `2026-01-05T10:00:00Z`).
    public static func timeText(_ date: Date) -> String {
        // A whole second of the years 1600 to 9999 (every time an import stores) printed by hand, as
        // `formatted(.iso8601)` prints it (earlier years it counts in the Julian calendar): Foundation's
        // formatter was 3% of a CSV import's writing.
        let seconds = date.timeIntervalSince1970
        if seconds.rounded(.down) == seconds, (-11_676_096_000...253_402_300_799).contains(seconds) {
            return UTCTimestamp.dateTime(date)
        }
        return date.formatted(.iso8601)
    }

    /// A new client, with its owner (its other fields are the client's to read: a CSV import completes them at the
    /// client's last row, in the same transaction).
    public static func clientCreated(_ client: Client, at: Date) -> DomainEvent {
        DomainEvent(
            .clientCreated, clientID: client.id, subjectID: client.id,
            ["owner_id": client.ownerID.map(JSONValue.string) ?? .null], at: at)
    }

    public static func contactCreated(_ contact: Contact, id: Int64, at: Date) -> DomainEvent {
        DomainEvent(
            .contactCreated, clientID: contact.clientID, subjectID: String(id), ["role": .string(contact.role.rawValue)],
            at: at)
    }

    public static func activityLogged(_ activity: Activity, id: Int64, at: Date) -> DomainEvent {
        DomainEvent(
            .activityLogged, clientID: activity.clientID, subjectID: String(id),
            ["kind": .string(activity.kind.rawValue), "direction": .string(activity.direction.rawValue),
             "contact_id": activity.contactID.map { .string(String($0)) } ?? .null,
             "occurred_at": time(activity.occurredAt)],
            at: at)
    }

    /// An inbound email stored (matched, unmatched or failed); `status` and `match` are the intake's words.
    public static func emailIngested(
        emailID: Int64, clientID: String?, status: String, match: String, activityID: Int64?, draftID: String?, at: Date
    ) -> DomainEvent {
        DomainEvent(
            .emailIngested, clientID: clientID, subjectID: String(emailID),
            ["status": .string(status), "match": .string(match),
             "activity_id": activityID.map { .string(String($0)) } ?? .null,
             "draft_id": draftID.map(JSONValue.string) ?? .null],
            at: at)
    }

    /// An inbound email no client was found for, with the clients it could have been (ids).
    public static func emailUnmatched(emailID: Int64, match: String, candidates: [String], at: Date) -> DomainEvent {
        DomainEvent(
            .emailUnmatched, clientID: nil, subjectID: String(emailID),
            ["match": .string(match), "candidates": .array(candidates.map(JSONValue.string))], at: at)
    }

    /// A client's new health score, with the previous one (null for its first score).
    public static func healthChanged(_ score: HealthScore, previous: HealthScore?) -> DomainEvent {
        DomainEvent(
            .healthChanged, clientID: score.clientID, subjectID: score.clientID,
            ["score": .int(Int64(score.score)), "band": .string(score.band.rawValue),
             "previous_score": previous.map { .int(Int64($0.score)) } ?? .null,
             "previous_band": previous.map { .string($0.band.rawValue) } ?? .null],
            at: score.computedAt)
    }

    /// A deal entered `to` (from `from`; null for a new deal).
    public static func dealStageChanged(
        dealID: Int64, clientID: String, from: DealStage?, to: DealStage, by user: String?, at: Date
    ) -> DomainEvent {
        DomainEvent(
            .dealStageChanged, clientID: clientID, subjectID: String(dealID),
            ["from": from.map { .string($0.rawValue) } ?? .null, "to": .string(to.rawValue),
             "user_id": user.map(JSONValue.string) ?? .null],
            at: at)
    }

    /// A new task (by hand, an import, an email's analysis, an accepted suggestion).
    public static func taskCreated(_ task: ClientTask, id: Int64, at: Date) -> DomainEvent {
        DomainEvent(.taskCreated, clientID: task.clientID, subjectID: String(id), taskState(task), at: at)
    }

    /// A task's due time, status, priority and assignee.
    private static func taskState(_ task: ClientTask) -> [String: JSONValue] {
        ["due": time(task.due), "status": .string(task.status.rawValue), "priority": .string(task.priority.rawValue),
         "assignee": task.assignee.map(JSONValue.string) ?? .null]
    }

    /// A task moved from `from` to its status now (done, cancelled, reopened).
    public static func taskStatusChanged(_ task: ClientTask, id: Int64, from: TaskStatus, at: Date) -> DomainEvent {
        DomainEvent(
            .taskStatusChanged, clientID: task.clientID, subjectID: String(id),
            ["from": .string(from.rawValue), "to": .string(task.status.rawValue),
             "assignee": task.assignee.map(JSONValue.string) ?? .null],
            at: at)
    }

    /// An open task found past its due time (once per task and due time).
    public static func taskOverdue(_ task: ClientTask, id: Int64, at: Date) -> DomainEvent {
        DomainEvent(.taskOverdue, clientID: task.clientID, subjectID: String(id), taskState(task), at: at)
    }

    public static func leadStatusChanged(_ move: LeadTransition) -> DomainEvent {
        DomainEvent(
            .leadStatusChanged, clientID: move.clientID, subjectID: move.clientID,
            ["from": .string(move.from.rawValue), "to": .string(move.to.rawValue), "automatic": .bool(move.automatic)],
            at: move.at)
    }

    /// `suggestion.created`, `.accepted`, `.dismissed`, `.snoozed`, `.reopened`, `.resolved` or `.expired` for
    /// `suggestion` in its new state.
    public static func suggestion(_ kind: EventKind, _ suggestion: Suggestion, at: Date) -> DomainEvent {
        DomainEvent(
            kind, clientID: suggestion.clientID, subjectID: suggestion.id,
            ["type": .string(suggestion.type.rawValue), "priority": .int(Int64(suggestion.priority)),
             "status": .string(suggestion.status.rawValue), "source": .string(suggestion.source.rawValue),
             "artifact": suggestion.artifact.map(JSONValue.string) ?? .null],
            at: at)
    }

    /// The event of a decision on `suggestion` (`decide`): `suggestion.accepted`, `.dismissed` or `.snoozed` for its new
    /// status; nil for any other.
    public static func suggestionDecided(_ suggestion: Suggestion, at: Date) -> DomainEvent? {
        switch suggestion.status {
        case .accepted: .suggestion(.suggestionAccepted, suggestion, at: at)
        case .dismissed: .suggestion(.suggestionDismissed, suggestion, at: at)
        case .snoozed: .suggestion(.suggestionSnoozed, suggestion, at: at)
        case .pending, .expired, .resolved: nil
        }
    }

    /// `draft.created`, `.approved` or `.rejected` for `draft` in its new state.
    public static func draft(_ kind: EventKind, _ draft: Draft) -> DomainEvent {
        DomainEvent(
            kind, clientID: draft.clientID, subjectID: draft.id,
            ["kind": .string(draft.kind.rawValue), "status": .string(draft.status.rawValue),
             "user_id": (kind == .draftCreated ? draft.createdBy : draft.decidedBy).map(JSONValue.string) ?? .null],
            at: draft.updatedAt)
    }

    /// A scheduled job's run that failed (its error stays in `job_runs`).
    /// `userID`: the user a per-user job's run was for (the daily review), else nil.
    public static func jobFailed(runID: Int64, job: String, slot: Date, userID: String? = nil, at: Date) -> DomainEvent {
        DomainEvent(
            .jobFailed, clientID: nil, subjectID: String(runID),
            ["job": .string(job), "slot": time(slot), "user_id": userID.map(JSONValue.string) ?? .null], at: at)
    }

    /// A user's daily plan stored by the daily review.
    public static func planStored(planID: Int64, userID: String, day: String, items: Int, brief: Bool, at: Date) -> DomainEvent {
        DomainEvent(
            .planStored, clientID: nil, subjectID: String(planID),
            ["user_id": .string(userID), "day": .string(day), "items": .int(Int64(items)), "brief": .bool(brief)], at: at)
    }

    /// An item of a stored plan done: by hand (`by` the user who marked it), or by the event `eventID` that completed
    /// its task, deal or client.
    public static func planItemDone(
        itemID: Int64, planID: Int64, clientID: String, target: String, by userID: String?, eventID: Int64?, at: Date
    ) -> DomainEvent {
        DomainEvent(
            .planItemDone, clientID: clientID, subjectID: String(itemID),
            ["plan_id": .string(String(planID)), "target": .string(target), "user_id": userID.map(JSONValue.string) ?? .null,
             "event_id": eventID.map { .string(String($0)) } ?? .null],
            at: at)
    }

    /// An item marked done by mistake, marked not done again by `userID` (nil: a local run).
    public static func planItemReopened(itemID: Int64, planID: Int64, clientID: String, target: String, by userID: String?, at: Date)
        -> DomainEvent
    {
        DomainEvent(
            .planItemReopened, clientID: clientID, subjectID: String(itemID),
            ["plan_id": .string(String(planID)), "target": .string(target), "user_id": userID.map(JSONValue.string) ?? .null],
            at: at)
    }

    /// A notification put in a user's inbox by rule `rule`, fired by the event `causeEventID` (nil for a scheduled run).
    public static func notificationCreated(
        notificationID: Int64, userID: String, clientID: String?, rule: String, causeEventID: Int64?, at: Date
    ) -> DomainEvent {
        DomainEvent(
            .notificationCreated, clientID: clientID, subjectID: String(notificationID),
            ["user_id": .string(userID), "rule": .string(rule), "cause_event_id": causeEventID.map { .string(String($0)) } ?? .null],
            at: at)
    }

    /// A rule's `webhook` action: an event named `name` for the outbound webhooks, about `clientID`.
    public static func ruleWebhook(
        name: String, rule: String, clientID: String, causeEventID: Int64?, executionID: Int64, at: Date
    ) -> DomainEvent {
        DomainEvent(
            .ruleWebhook, clientID: clientID, subjectID: String(executionID),
            ["name": .string(name), "rule": .string(rule), "cause_event_id": causeEventID.map { .string(String($0)) } ?? .null],
            at: at)
    }

    /// A client without an owner given one (by a rule's `assign_owner`).
    public static func clientOwnerAssigned(clientID: String, ownerID: String, rule: String, at: Date) -> DomainEvent {
        DomainEvent(
            .clientOwnerAssigned, clientID: clientID, subjectID: clientID,
            ["owner_id": .string(ownerID), "rule": .string(rule)], at: at)
    }
}
