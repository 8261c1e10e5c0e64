import Foundation

/// Something KAM proposes an account manager do, with the records that made it propose it.
///
/// Accepting a suggestion creates a pending artifact (a task or a pending draft); it never sends anything.
public struct Suggestion: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var clientID: String
    public var type: SuggestionType
    /// What the suggestion is about: `client:acme`, `deal:12`, `task:40`. With the type it makes the dedup key.
    public var target: String
    public var title: String
    public var reasoning: String
    public var evidence: [Evidence]
    /// 0...100, higher first.
    public var priority: Int
    public var action: ProposedAction
    public var source: SuggestionSource
    public var status: SuggestionStatus
    public var createdAt: Date
    public var expiresAt: Date
    public var snoozedUntil: Date?
    /// The dismissal's own words, or its kind's label when none were given.
    public var dismissReason: String?
    /// Why it was dismissed (`DismissalLearning` lowers the same rule's later suggestions for the same client by it).
    public var dismissKind: DismissReason?
    /// The task id or draft id created when the suggestion was accepted.
    public var artifact: String?
    /// Why a resolved suggestion no longer applies (`task 2 done by maria`): a write removed its cause.
    public var resolution: String?
    /// In a person's list: how their dismissals changed `priority` (nil when they did not). Never stored.
    public var priorityChange: PriorityChange?

    public init(
        id: String, clientID: String, type: SuggestionType, target: String, title: String, reasoning: String,
        evidence: [Evidence], priority: Int, action: ProposedAction, source: SuggestionSource = .rule,
        createdAt: Date, expiresAt: Date
    ) {
        self.id = id
        self.clientID = clientID
        self.type = type
        self.target = target
        self.title = title
        self.reasoning = reasoning
        self.evidence = evidence
        self.priority = min(100, max(0, priority))
        self.action = action
        self.source = source
        self.status = .pending
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// Two pending suggestions with the same key are duplicates.
    public var dedupKey: String { "\(clientID)|\(type.rawValue)|\(target)" }

    /// The rules-engine rule that proposed it (its `rule` evidence); nil for the built-in rules and the model.
    public var rule: String? { evidence.first { $0.kind == "rule" }?.id }

    /// What proposed it: the rules-engine rule's name, else `built-in <type>`. Dismissals teach per origin and client,
    /// and analytics reports acceptance per origin.
    public var origin: String { Self.origin(rule: rule, type: type) }

    public static func origin(rule: String?, type: SuggestionType) -> String { rule ?? "built-in \(type.rawValue)" }

    /// Marks the suggestion dismissed for `reason`, with the person's `note` (the reason's label when none).
    public mutating func markDismissed(_ reason: DismissReason, note: String?) {
        status = .dismissed
        dismissKind = reason
        dismissReason = note ?? reason.label
    }
}

public enum SuggestionType: String, Codable, Sendable, CaseIterable {
    case followUp = "follow-up"
    case statusCheck = "status-check"
    case escalate
    case upsell
    case intervention
    case scheduleMeeting = "schedule-meeting"
    case nextBestAction = "next-best-action"
    case renewalRisk = "renewal-risk"
    /// A client's message raised a price, timing or authority objection (`ObjectionDetector`).
    case objection
    /// A client's message named a competitor.
    case competitorMention = "competitor-mention"
}

public enum SuggestionStatus: String, Codable, Sendable, CaseIterable {
    /// `resolved`: the rules stopped proposing it after a write removed its cause (the overdue task was done).
    case pending, accepted, dismissed, snoozed, expired, resolved
}

public enum SuggestionSource: String, Codable, Sendable {
    case rule, model
}

/// A record that made a rule fire.
public struct Evidence: Codable, Sendable, Hashable {
    /// `activity`, `deal`, `task`, `order`, `health`, `lead-score`, `client`.
    public var kind: String
    public var id: String
    public var summary: String

    public init(kind: String, id: String, summary: String) {
        self.kind = kind
        self.id = id
        self.summary = summary
    }
}

/// What accepting a suggestion creates. Only pending things: a task, or a draft waiting for approval.
public enum ProposedAction: Codable, Sendable, Hashable {
    case draft(kind: DraftKind, hint: String)
    case task(title: String, dueInDays: Int, priority: TaskPriority)

    public var summary: String {
        switch self {
        case .draft(let kind, let hint): "draft a \(kind.rawValue) email (\(hint))"
        case .task(let title, let days, let priority): "create a \(priority.rawValue)-priority task due in \(days) days: \(title)"
        }
    }
}
