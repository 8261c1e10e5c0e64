/// A pre-built analytics dashboard: a title and the metrics it charts, each by ISO week
/// (`GET /analytics/dashboards/{name}`, the web page's `/app/analytics/dashboards/{name}`).
public enum Dashboard: String, Codable, Sendable, CaseIterable {
    case portfolioHealth = "portfolio-health"
    case pipeline
    case aiPerformance = "ai-performance"
    case support

    public var title: String {
        switch self {
        case .portfolioHealth: "Portfolio health"
        case .pipeline: "Pipeline"
        case .aiPerformance: "AI performance"
        case .support: "Support"
        }
    }

    /// The metrics it charts, in order (`AnalyticsMetric` names).
    public var metrics: [String] {
        switch self {
        case .portfolioHealth: ["health.clients", "revenue.expanded", "revenue.churned"]
        case .pipeline: ["pipeline.value", "pipeline.deals", "deals.won", "deals.win-rate"]
        case .aiPerformance: ["drafts.acceptance-rate", "suggestions.acceptance-rate", "drafts.approved", "ai.cost", "ai.calls"]
        case .support: ["tickets.opened", "email.response-time", "email.responses"]
        }
    }
}
