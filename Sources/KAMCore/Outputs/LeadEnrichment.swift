/// What `analysis.lead-enrichment` returns: a lead's proposed industry, size band, likely needs, the decision makers
/// named in its mail and its fit with the ideal customer profile, each with the record it comes from and a confidence.
/// Nothing of it is applied until a person accepts it (`LeadProposal`).
public struct LeadEnrichment: PromptOutput {
    public static let promptIDs = ["analysis.lead-enrichment"]

    /// The word the prompt answers when the records do not show a field.
    public static let unknown = "unknown"

    public var industry: Proposed<String>
    /// A `CompanySize` raw value, or `unknown`.
    public var sizeBand: Proposed<String>
    public var needs: [Need]
    public var decisionMakers: [DecisionMaker]
    public var icpFit: ICPFit

    public init(
        industry: Proposed<String>, sizeBand: Proposed<String>, needs: [Need], decisionMakers: [DecisionMaker], icpFit: ICPFit
    ) {
        self.industry = industry
        self.sizeBand = sizeBand
        self.needs = needs
        self.decisionMakers = decisionMakers
        self.icpFit = icpFit
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case industry, needs
        case sizeBand = "size_band"
        case decisionMakers = "decision_makers"
        case icpFit = "icp_fit"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        industry = try container.decode(Proposed<String>.self, forKey: .industry)
        sizeBand = try container.decode(Proposed<String>.self, forKey: .sizeBand)
        needs = try container.decode([Need].self, forKey: .needs)
        decisionMakers = try container.decode([DecisionMaker].self, forKey: .decisionMakers)
        icpFit = try container.decode(ICPFit.self, forKey: .icpFit)
    }

    /// One proposed value, the record it comes from and how sure the records make it (0...1).
    public struct Proposed<Value: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
        public var value: Value
        public var source: String
        public var confidence: Double

        public init(value: Value, source: String, confidence: Double) {
            self.value = value
            self.source = source
            self.confidence = confidence
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case value, source, confidence }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            value = try container.decode(Value.self, forKey: .value)
            source = try container.decode(String.self, forKey: .source)
            confidence = try container.decode(Double.self, forKey: .confidence)
        }
    }

    /// A likely need and the record that shows it.
    public struct Need: Codable, Sendable, Hashable {
        public var need: String
        public var source: String
        public var confidence: Double

        public init(need: String, source: String, confidence: Double) {
            self.need = need
            self.source = source
            self.confidence = confidence
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case need, source, confidence }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            need = try container.decode(String.self, forKey: .need)
            source = try container.decode(String.self, forKey: .source)
            confidence = try container.decode(Double.self, forKey: .confidence)
        }
    }

    /// A person named in the records who decides or signs, as written there.
    public struct DecisionMaker: Codable, Sendable, Hashable {
        public var name: String
        /// Empty when the records give none.
        public var title: String
        public var source: String
        public var confidence: Double

        public init(name: String, title: String, source: String, confidence: Double) {
            self.name = name
            self.title = title
            self.source = source
            self.confidence = confidence
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case name, title, source, confidence }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            title = try container.decode(String.self, forKey: .title)
            source = try container.decode(String.self, forKey: .source)
            confidence = try container.decode(Double.self, forKey: .confidence)
        }
    }

    /// How well the lead fits the ideal customer profile (0...100), one reason a criterion.
    public struct ICPFit: Codable, Sendable, Hashable {
        public var score: Int
        public var reasons: [String]
        public var source: String
        public var confidence: Double

        public init(score: Int, reasons: [String], source: String, confidence: Double) {
            self.score = score
            self.reasons = reasons
            self.source = source
            self.confidence = confidence
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case score, reasons, source, confidence }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            score = try container.decode(Int.self, forKey: .score)
            reasons = try container.decode([String].self, forKey: .reasons)
            source = try container.decode(String.self, forKey: .source)
            confidence = try container.decode(Double.self, forKey: .confidence)
        }
    }
}
