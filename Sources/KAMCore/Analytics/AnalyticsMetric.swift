/// A figure `kam analytics trends` and `overview` can show: a stored snapshot metric, or a rate or average that
/// divides stored flows (summed first, so a week's win rate is the week's wins over its decided deals, not a mean of
/// daily rates).
///
/// For example:
/// ```swift
/// AnalyticsMetric.named("deals.win-rate")?.components   // ["deals.won", "deals.lost"]
/// ```
public struct AnalyticsMetric: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A state at the end of a day: a period shows its last snapshotted day.
        case level
        /// What happened in a day: a period shows the sum.
        case flow
        /// The sum of `numerator`'s metrics over the sum of `denominator`'s, times `scale`; none when that is 0.
        case ratio(numerator: [String], denominator: [String], scale: Double)
    }

    public var name: String
    public var kind: Kind
    /// What the rows' dimension holds, or nil when the metric has none (every ratio).
    public var dimension: String?
    public var summary: String

    public init(name: String, kind: Kind, dimension: String? = nil, summary: String) {
        self.name = name
        self.kind = kind
        self.dimension = dimension
        self.summary = summary
    }

    /// The stored metrics whose rows make this one.
    public var components: [String] {
        switch kind {
        case .level, .flow: [name]
        case .ratio(let numerator, let denominator, _): Array(Set(numerator + denominator)).sorted()
        }
    }

    /// A stored snapshot metric.
    public init(_ metric: SnapshotMetric) {
        self.init(
            name: metric.rawValue, kind: metric.isLevel ? .level : .flow, dimension: metric.dimension,
            summary: Self.summaries[metric] ?? metric.rawValue)
    }

    private static let summaries: [SnapshotMetric: String] = [
        .healthClients: "clients by the band of their latest health score",
        .pipelineDeals: "open deals by stage",
        .pipelineValue: "amount of the open deals by stage",
        .dealsWon: "deals won",
        .dealsLost: "deals lost",
        .revenueExpanded: "amount of deals won by clients who had won before",
        .revenueChurned: "orders of the year before of the clients who churned",
        .emailResponses: "inbound emails answered",
        .emailResponseHours: "hours to answer inbound emails, summed",
        .draftsApproved: "drafts approved",
        .draftsRejected: "drafts rejected",
        .suggestionsAccepted: "suggestions accepted",
        .suggestionsDismissed: "suggestions dismissed",
        .aiCost: "cost of the model calls, USD",
        .aiCalls: "model calls",
        .ticketsOpened: "support tickets opened by priority",
    ]

    /// The rates and averages over the stored metrics.
    public static let derived: [AnalyticsMetric] = [
        AnalyticsMetric(
            name: "deals.win-rate",
            kind: .ratio(numerator: [SnapshotMetric.dealsWon.rawValue], denominator: [SnapshotMetric.dealsWon.rawValue, SnapshotMetric.dealsLost.rawValue], scale: 1),
            summary: "deals won over deals closed"),
        AnalyticsMetric(
            name: "email.response-time",
            kind: .ratio(numerator: [SnapshotMetric.emailResponseHours.rawValue], denominator: [SnapshotMetric.emailResponses.rawValue], scale: 1),
            summary: "mean hours to answer an inbound email"),
        AnalyticsMetric(
            name: "drafts.acceptance-rate",
            kind: .ratio(numerator: [SnapshotMetric.draftsApproved.rawValue], denominator: [SnapshotMetric.draftsApproved.rawValue, SnapshotMetric.draftsRejected.rawValue], scale: 1),
            summary: "drafts approved over drafts decided"),
        AnalyticsMetric(
            name: "suggestions.acceptance-rate",
            kind: .ratio(numerator: [SnapshotMetric.suggestionsAccepted.rawValue], denominator: [SnapshotMetric.suggestionsAccepted.rawValue, SnapshotMetric.suggestionsDismissed.rawValue], scale: 1),
            summary: "suggestions accepted over suggestions decided"),
    ]

    /// Every built-in metric: the stored ones, then the derived ones.
    public static let builtIn: [AnalyticsMetric] = SnapshotMetric.allCases.map(AnalyticsMetric.init) + derived

    /// The metric called `name` among the built-in ones and `custom`; nil when there is none.
    public static func named(_ name: String, custom: [AnalyticsMetric] = []) -> AnalyticsMetric? {
        (builtIn + custom).first { $0.name == name }
    }
}
