/// Which items a token budget removes first: the relevance order, least relevant first.
///
/// When the context does not fit its budget, items are dropped tier by tier, in this order, and within
/// a tier by the key given for it (ties by item id, so the result is deterministic):
/// 1. `lowSignalActivity` — notes, and activities whose sentiment is known and neutral (|s| < 0.25):
///    oldest first. They rarely change what a draft should say.
/// 2. `activity` — every other activity in the window, oldest first.
/// 3. `orderLine` — the detail lines of recent orders, oldest first (the summary still gives count,
///    total, last order and top products).
/// 4. `lowPriorityTask` — pending tasks that are not overdue with priority low or medium: lowest
///    priority first, then the latest due (no due date counts as latest).
/// 5. `lowConfidenceMemory` — remembered facts and preferences with confidence below 0.5: lowest
///    confidence first, then oldest.
/// 6. `orderSummary` — the order history summary line.
/// 7. `task` — the remaining not-overdue tasks (high, urgent): lowest priority, then latest due first.
/// 8. `memory` — the remaining memory: items from other sources before the account team's own
///    (`user`), then lowest confidence, then oldest.
/// 9. `deal` — open deals: smallest weighted amount (amount × probability) first. Only after every
///    activity is gone, as the deal pipeline is what most drafts are about.
/// 10. `overdueTask` — overdue tasks: lowest priority first, then the least overdue.
/// 11. `contact` — contacts: users, then influencers, champions, decision-makers last.
///
/// The profile (company, industry, tier, budget, lifecycle, lead status, owner, last interaction) is
/// never dropped; when it alone exceeds the budget the assembly fails with `budgetTooSmall`.
public enum ContextDropTier: Int, Codable, Sendable, CaseIterable, Comparable {
    case lowSignalActivity = 1
    case activity
    case orderLine
    case lowPriorityTask
    case lowConfidenceMemory
    case orderSummary
    case task
    case memory
    case deal
    case overdueTask
    case contact

    /// Why an item of this tier goes before the others, for reports.
    public var reason: String {
        switch self {
        case .lowSignalActivity: "low-signal activity (note or neutral sentiment), oldest first"
        case .activity: "activity, oldest first"
        case .orderLine: "order detail line, oldest first (summary kept)"
        case .lowPriorityTask: "low or medium priority task, not overdue"
        case .lowConfidenceMemory: "memory with confidence below 0.5"
        case .orderSummary: "order history summary"
        case .task: "high priority task, not overdue"
        case .memory: "remembered fact or preference"
        case .deal: "open deal with the smallest weighted amount"
        case .overdueTask: "overdue task, least overdue first"
        case .contact: "contact, least influential role first"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// An item the budget left out, and why.
public struct DroppedContextItem: Codable, Sendable, Hashable {
    public var section: ContextSectionKind
    public var itemID: String
    public var tier: ContextDropTier
    /// Tokens the item would have cost; nil when it was left out without being counted (everything
    /// less relevant than the first item that did not fit is never tokenized).
    public var tokens: Int?

    public init(section: ContextSectionKind, itemID: String, tier: ContextDropTier, tokens: Int?) {
        self.section = section
        self.itemID = itemID
        self.tier = tier
        self.tokens = tokens
    }

    /// `over budget: activity, oldest first`.
    public var reason: String { "over budget: " + tier.reason }
}
