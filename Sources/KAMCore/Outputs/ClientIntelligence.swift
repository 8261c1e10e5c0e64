/// What `analysis.client-intelligence` returns: how a client communicates and engages, its risks and openings.
public struct ClientIntelligence: PromptOutput {
    public static let promptIDs = ["analysis.client-intelligence"]

    public var communicationPattern: CommunicationPattern
    /// 0...100: how engaged the client is, from the recency and frequency of contact and its sentiment.
    public var engagementScore: Int
    public var risks: [Finding]
    public var opportunities: [Finding]

    public init(communicationPattern: CommunicationPattern, engagementScore: Int, risks: [Finding], opportunities: [Finding]) {
        self.communicationPattern = communicationPattern
        self.engagementScore = engagementScore
        self.risks = risks
        self.opportunities = opportunities
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case risks, opportunities
        case communicationPattern = "communication_pattern"
        case engagementScore = "engagement_score"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        communicationPattern = try container.decode(CommunicationPattern.self, forKey: .communicationPattern)
        engagementScore = try container.decode(Int.self, forKey: .engagementScore)
        risks = try container.decode([Finding].self, forKey: .risks)
        opportunities = try container.decode([Finding].self, forKey: .opportunities)
    }

    /// The channel a client prefers, how often it talks to the team, and how fast it answers.
    public struct CommunicationPattern: Codable, Sendable, Hashable {
        public enum Channel: String, Codable, Sendable, Hashable, CaseIterable {
            case email, phone, meeting, chat, mixed
        }

        public enum Responsiveness: String, Codable, Sendable, Hashable, CaseIterable {
            case fast, normal, slow, unresponsive
        }

        public var preferredChannel: Channel
        /// How often they are in touch, in words ("weekly", "around each order").
        public var cadence: String
        public var responsiveness: Responsiveness
        public var summary: String

        public init(preferredChannel: Channel, cadence: String, responsiveness: Responsiveness, summary: String) {
            self.preferredChannel = preferredChannel
            self.cadence = cadence
            self.responsiveness = responsiveness
            self.summary = summary
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case cadence, responsiveness, summary
            case preferredChannel = "preferred_channel"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            preferredChannel = try container.decode(Channel.self, forKey: .preferredChannel)
            cadence = try container.decode(String.self, forKey: .cadence)
            responsiveness = try container.decode(Responsiveness.self, forKey: .responsiveness)
            summary = try container.decode(String.self, forKey: .summary)
        }
    }

    /// A risk or an opportunity, with its evidence and how much it matters.
    public struct Finding: Codable, Sendable, Hashable {
        public var description: String
        public var evidence: String
        public var impact: RiskSeverity

        public init(description: String, evidence: String, impact: RiskSeverity) {
            self.description = description
            self.evidence = evidence
            self.impact = impact
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case description, evidence, impact }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            description = try container.decode(String.self, forKey: .description)
            evidence = try container.decode(String.self, forKey: .evidence)
            impact = try container.decode(RiskSeverity.self, forKey: .impact)
        }
    }
}
