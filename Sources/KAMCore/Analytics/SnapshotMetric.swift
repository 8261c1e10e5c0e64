/// A figure the daily analytics snapshot stores, one row a day for each owner (the client's account owner; for AI
/// cost the user the call was made for) and, where it has one, each value of its dimension.
///
/// A *level* is a state at the end of the day (how many clients are in each health band); a *flow* is what happened
/// during the day (deals won). Over a week a level is read at the week's last snapshotted day and a flow is summed;
/// rates and averages (`AnalyticsMetric`) divide summed flows, so they stay true across owners and periods.
public enum SnapshotMetric: String, Codable, Sendable, CaseIterable {
    /// Clients by the band of their latest health score at the end of the day.
    case healthClients = "health.clients"
    /// Open deals by stage at the end of the day.
    case pipelineDeals = "pipeline.deals"
    /// The amounts of the open deals by stage at the end of the day.
    case pipelineValue = "pipeline.value"
    /// Deals that entered closed-won during the day.
    case dealsWon = "deals.won"
    /// Deals that entered closed-lost during the day.
    case dealsLost = "deals.lost"
    /// The amounts of the deals won during the day by clients who had won a deal before.
    case revenueExpanded = "revenue.expanded"
    /// The orders of the 365 days before of each client whose lifecycle became churned during the day.
    case revenueChurned = "revenue.churned"
    /// Inbound emails first answered during the day (an outbound email activity of the client at or after receipt).
    case emailResponses = "email.responses"
    /// The hours from receipt to that answer, summed over `email.responses`.
    case emailResponseHours = "email.response-hours"
    /// Drafts approved (edited or not) during the day.
    case draftsApproved = "drafts.approved"
    /// Drafts rejected during the day.
    case draftsRejected = "drafts.rejected"
    /// Suggestions accepted during the day.
    case suggestionsAccepted = "suggestions.accepted"
    /// Suggestions dismissed during the day.
    case suggestionsDismissed = "suggestions.dismissed"
    /// The cost in US dollars of the model calls of the day (calls of unknown price count nothing).
    case aiCost = "ai.cost"
    /// The model calls of the day.
    case aiCalls = "ai.calls"
    /// Support tickets opened during the day, by priority.
    case ticketsOpened = "tickets.opened"

    /// A state at the end of the day, rather than a count of what happened in it.
    public var isLevel: Bool {
        switch self {
        case .healthClients, .pipelineDeals, .pipelineValue: true
        default: false
        }
    }

    /// What the rows' dimension holds (`band`, `stage`, `priority`), or nil when the metric has none.
    public var dimension: String? {
        switch self {
        case .healthClients: "band"
        case .pipelineDeals, .pipelineValue: "stage"
        case .ticketsOpened: "priority"
        default: nil
        }
    }
}
