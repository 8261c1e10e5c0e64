/// What `analysis.needs` returns: how a client uses what it buys, and what it will need next.
public struct NeedsAnalysis: PromptOutput {
    public static let promptIDs = ["analysis.needs"]

    public var usageInsights: [UsageInsight]
    public var predictedNeeds: [PredictedNeed]
    public var recommendedActions: [RecommendedAction]

    public init(usageInsights: [UsageInsight], predictedNeeds: [PredictedNeed], recommendedActions: [RecommendedAction]) {
        self.usageInsights = usageInsights
        self.predictedNeeds = predictedNeeds
        self.recommendedActions = recommendedActions
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case usageInsights = "usage_insights"
        case predictedNeeds = "predicted_needs"
        case recommendedActions = "recommended_actions"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        usageInsights = try container.decode([UsageInsight].self, forKey: .usageInsights)
        predictedNeeds = try container.decode([PredictedNeed].self, forKey: .predictedNeeds)
        recommendedActions = try container.decode([RecommendedAction].self, forKey: .recommendedActions)
    }

    /// A pattern in orders or activity, with the records that show it.
    public struct UsageInsight: Codable, Sendable, Hashable {
        public var insight: String
        public var evidence: String

        public init(insight: String, evidence: String) {
            self.insight = insight
            self.evidence = evidence
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case insight, evidence }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            insight = try container.decode(String.self, forKey: .insight)
            evidence = try container.decode(String.self, forKey: .evidence)
        }
    }

    /// Something the client is likely to need, how likely (0...1) and when.
    public struct PredictedNeed: Codable, Sendable, Hashable {
        public var need: String
        public var likelihood: Double
        public var timeframe: String

        public init(need: String, likelihood: Double, timeframe: String) {
            self.need = need
            self.likelihood = likelihood
            self.timeframe = timeframe
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case need, likelihood, timeframe }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            need = try container.decode(String.self, forKey: .need)
            likelihood = try container.decode(Double.self, forKey: .likelihood)
            timeframe = try container.decode(String.self, forKey: .timeframe)
        }
    }

    /// What the account manager should do about it, and why.
    public struct RecommendedAction: Codable, Sendable, Hashable {
        public var action: String
        public var reason: String

        public init(action: String, reason: String) {
            self.action = action
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case action, reason }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            action = try container.decode(String.self, forKey: .action)
            reason = try container.decode(String.self, forKey: .reason)
        }
    }
}
