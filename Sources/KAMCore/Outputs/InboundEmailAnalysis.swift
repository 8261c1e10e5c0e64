/// What `analysis.inbound-email` returns about one email a client sent.
public struct InboundEmailAnalysis: PromptOutput {
    public static let promptIDs = ["analysis.inbound-email"]

    public enum Intent: String, Codable, Sendable, Hashable, CaseIterable {
        case question, request, complaint, order, meeting, feedback, information, other
    }

    public enum Urgency: String, Codable, Sendable, Hashable, CaseIterable {
        case low, medium, high, critical
    }

    public var intent: Intent
    /// From -1 (hostile) to 1 (delighted).
    public var sentimentScore: Double
    public var urgency: Urgency
    public var actionItems: [ActionItem]
    /// Documents, quotes, samples... the client asked to receive.
    public var requestedDeliverables: [String]
    /// The objections the email raises (version 2 on; empty in an analysis stored before).
    public var objections: [Objection]
    /// The competitors the email names (version 2 on; empty in an analysis stored before).
    public var competitors: [String]

    public init(
        intent: Intent, sentimentScore: Double, urgency: Urgency, actionItems: [ActionItem], requestedDeliverables: [String],
        objections: [Objection] = [], competitors: [String] = []
    ) {
        self.intent = intent
        self.sentimentScore = sentimentScore
        self.urgency = urgency
        self.actionItems = actionItems
        self.requestedDeliverables = requestedDeliverables
        self.objections = objections
        self.competitors = competitors
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case intent, urgency, objections, competitors
        case sentimentScore = "sentiment_score"
        case actionItems = "action_items"
        case requestedDeliverables = "requested_deliverables"
    }

    /// An objection as the model read it: its kind and the sender's words that raise it.
    public struct Objection: Codable, Sendable, Hashable {
        public var kind: ObjectionDetector.Kind
        public var quote: String

        public init(kind: ObjectionDetector.Kind, quote: String) {
            self.kind = kind
            self.quote = quote
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case kind, quote
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            kind = try container.decode(ObjectionDetector.Kind.self, forKey: .kind)
            quote = try container.decode(String.self, forKey: .quote)
        }
    }

    /// The model's objections and competitor names as findings of the source `model`, for
    /// `ObjectionDetector.findings(in:model:)`.
    public var findings: [ObjectionDetector.Finding] {
        objections.map { ObjectionDetector.Finding(kind: $0.kind, phrase: $0.quote, sources: [.model]) }
            + competitors.map { ObjectionDetector.Finding(kind: .competitor, phrase: $0, sources: [.model]) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        intent = try container.decode(Intent.self, forKey: .intent)
        sentimentScore = try container.decode(Double.self, forKey: .sentimentScore)
        urgency = try container.decode(Urgency.self, forKey: .urgency)
        actionItems = try container.decode([ActionItem].self, forKey: .actionItems)
        requestedDeliverables = try container.decode([String].self, forKey: .requestedDeliverables)
        // Version 1's schema has neither; its schema (and version 2's, which requires both) is checked before decoding.
        objections = try container.decodeIfPresent([Objection].self, forKey: .objections) ?? []
        competitors = try container.decodeIfPresent([String].self, forKey: .competitors) ?? []
    }

    /// Something the email asks the account team to do.
    public struct ActionItem: Codable, Sendable, Hashable {
        public var description: String
        /// When it is due, as the email put it ("by Friday"); nil when the email gave no time.
        public var dueHint: String?

        public init(description: String, dueHint: String?) {
            self.description = description
            self.dueHint = dueHint
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case description
            case dueHint = "due_hint"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            description = try container.decode(String.self, forKey: .description)
            // Required but nullable: absent is an error, null means "no due hint".
            guard container.contains(.dueHint) else {
                throw DecodingError.keyNotFound(
                    CodingKeys.dueHint, DecodingError.Context(codingPath: container.codingPath, debugDescription: "`due_hint` is required (null when none)"))
            }
            dueHint = try container.decodeIfPresent(String.self, forKey: .dueHint)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(description, forKey: .description)
            try container.encode(dueHint, forKey: .dueHint)
        }
    }
}
