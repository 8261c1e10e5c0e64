/// One action of a rule's `do:` list. Every action only writes pending things (a suggestion, a task, a
/// notification, a plan item, a lead status, an event for the webhooks) or accepts what enrichment proposed: the
/// rules engine never sends.
/// Titles and bodies may name facts with `{placeholders}` (`RuleFacts.placeholders`), filled by `RuleEvaluator`.
public enum RuleAction: Sendable, Hashable, Codable {
    /// `suggest: intervention`: a pending suggestion (deduplicated by type and client like every suggestion);
    /// accepting it creates a task (titled `task_title`, else the title: the default) or a pending draft of `draft_kind`.
    case suggest(type: SuggestionType, title: String, priority: Int, task: String?, draft: DraftKind?)
    /// `task: "Check in with {client}"`: an open task, due in `dueInDays`, for `assignee` (the owner by default).
    case task(title: String, dueInDays: Int, priority: TaskPriority, assignee: RuleRecipient)
    /// `draft: check-in`: a draft of that kind proposed for review (a suggestion whose acceptance writes the pending
    /// draft through the model: the engine itself calls no model).
    case draft(kind: DraftKind, hint: String)
    /// `notify: manager`: a notification in each recipient's inbox.
    case notify(RuleRecipient, title: String, body: String)
    /// `set_lead_status: qualified`.
    case setLeadStatus(LeadStatus)
    /// `add_to_plan: "Call {client}"`: an item in the owner's latest stored daily plan.
    case addToPlan(title: String)
    /// `webhook: expansion-signal`: a `rule.webhook` event the outbound webhooks deliver to subscribers of that kind.
    case webhook(name: String)
    /// `assign_owner: least-loaded` (the enabled member owning fewest clients) or a user id; only for a client
    /// without an owner.
    case assignOwner(String)
    /// `score_lead: true`: the client's BANT lead score (`LeadScorer`) recorded in the execution's log.
    case scoreLead
    /// `accept_enrichment: {fields: [industry, size-band], min_confidence: 0.8}`: the client's pending enrichment
    /// proposals (`LeadProposal`) of these fields whose confidence is at least `minConfidence` are accepted, recorded
    /// as decided by `rule:NAME`; any other stays pending for a person.
    case acceptEnrichment(fields: [LeadProposal.Field], minConfidence: Double)

    /// The key it is written under.
    public var verb: String {
        switch self {
        case .suggest: "suggest"
        case .task: "task"
        case .draft: "draft"
        case .notify: "notify"
        case .setLeadStatus: "set_lead_status"
        case .addToPlan: "add_to_plan"
        case .webhook: "webhook"
        case .assignOwner: "assign_owner"
        case .scoreLead: "score_lead"
        case .acceptEnrichment: "accept_enrichment"
        }
    }

    /// What it does, as a person reads it.
    public var summary: String {
        switch self {
        case .suggest(let type, let title, let priority, _, let draft):
            "suggest \(type.rawValue) (priority \(priority)\(draft.map { ", draft \($0.rawValue)" } ?? "")): \(title)"
        case .task(let title, let days, let priority, let assignee):
            "task for \(assignee.summary), \(priority.rawValue), due in \(days) days: \(title)"
        case .draft(let kind, let hint): "propose a \(kind.rawValue) draft" + (hint.isEmpty ? "" : ": \(hint)")
        case .notify(let recipient, let title, _): "notify \(recipient.summary): \(title)"
        case .setLeadStatus(let status): "set the lead status to \(status.rawValue)"
        case .addToPlan(let title): "add to the owner's plan: \(title)"
        case .webhook(let name): "emit rule.webhook '\(name)'"
        case .assignOwner(let who): "assign an owner (\(who)) if the client has none"
        case .scoreLead: "score the lead (BANT)"
        case .acceptEnrichment(let fields, let minimum):
            "accept the pending enrichment proposals of \(fields.map(\.rawValue).joined(separator: ", ")) "
                + "with confidence \(minimum) or more"
        }
    }

    /// Every verb `do:` accepts.
    public static let verbs: Set<String> = [
        "suggest", "task", "draft", "notify", "set_lead_status", "add_to_plan", "webhook", "assign_owner", "score_lead",
        "accept_enrichment",
    ]

    /// The action with `fill` applied to each of its texts (the placeholders filled).
    func filled(_ fill: (String) -> String) -> RuleAction {
        switch self {
        case .suggest(let type, let title, let priority, let task, let draft):
            .suggest(type: type, title: fill(title), priority: priority, task: task.map(fill), draft: draft)
        case .task(let title, let days, let priority, let assignee):
            .task(title: fill(title), dueInDays: days, priority: priority, assignee: assignee)
        case .draft(let kind, let hint): .draft(kind: kind, hint: fill(hint))
        case .notify(let recipient, let title, let body): .notify(recipient, title: fill(title), body: fill(body))
        case .addToPlan(let title): .addToPlan(title: fill(title))
        case .setLeadStatus, .webhook, .assignOwner, .scoreLead, .acceptEnrichment: self
        }
    }

    /// The texts that may hold placeholders, for checking them when a rule is read.
    var texts: [String] {
        switch self {
        case .suggest(_, let title, _, let task, _): [title] + (task.map { [$0] } ?? [])
        case .task(let title, _, _, _): [title]
        case .draft(_, let hint): [hint]
        case .notify(_, let title, let body): [title, body]
        case .addToPlan(let title): [title]
        case .setLeadStatus, .webhook, .assignOwner, .scoreLead, .acceptEnrichment: []
        }
    }
}
