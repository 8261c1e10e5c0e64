/// What `plan.daily-review` returns: an account manager's day across their portfolio.
public struct DailyReviewPlan: PromptOutput {
    public static let promptIDs = ["plan.daily-review"]

    public var topPriorities: [Priority]
    public var risks: [Risk]
    public var quickWins: [QuickWin]

    public init(topPriorities: [Priority], risks: [Risk], quickWins: [QuickWin]) {
        self.topPriorities = topPriorities
        self.risks = risks
        self.quickWins = quickWins
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case risks
        case topPriorities = "top_priorities"
        case quickWins = "quick_wins"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        topPriorities = try container.decode([Priority].self, forKey: .topPriorities)
        risks = try container.decode([Risk].self, forKey: .risks)
        quickWins = try container.decode([QuickWin].self, forKey: .quickWins)
    }

    /// Work worth doing first today, with the chance (0...1) that it wins the deal or the renewal.
    public struct Priority: Codable, Sendable, Hashable {
        public var client: String
        public var title: String
        public var reasoning: String
        public var winProbability: Double

        public init(client: String, title: String, reasoning: String, winProbability: Double) {
            self.client = client
            self.title = title
            self.reasoning = reasoning
            self.winProbability = winProbability
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case client, title, reasoning
            case winProbability = "win_probability"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            client = try container.decode(String.self, forKey: .client)
            title = try container.decode(String.self, forKey: .title)
            reasoning = try container.decode(String.self, forKey: .reasoning)
            winProbability = try container.decode(Double.self, forKey: .winProbability)
        }
    }

    /// Something that may go wrong if nobody acts.
    public struct Risk: Codable, Sendable, Hashable {
        public var client: String
        public var description: String
        public var severity: RiskSeverity

        public init(client: String, description: String, severity: RiskSeverity) {
            self.client = client
            self.description = description
            self.severity = severity
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case client, description, severity }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            client = try container.decode(String.self, forKey: .client)
            description = try container.decode(String.self, forKey: .description)
            severity = try container.decode(RiskSeverity.self, forKey: .severity)
        }
    }

    /// A small action that takes minutes and moves an account forward.
    public struct QuickWin: Codable, Sendable, Hashable {
        public var client: String
        public var action: String

        public init(client: String, action: String) {
            self.client = client
            self.action = action
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case client, action }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            client = try container.decode(String.self, forKey: .client)
            action = try container.decode(String.self, forKey: .action)
        }
    }
}

/// How bad a risk is if it happens.
public enum RiskSeverity: String, Codable, Sendable, Hashable, CaseIterable {
    case low, medium, high
}
