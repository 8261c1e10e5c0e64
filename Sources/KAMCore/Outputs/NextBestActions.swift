/// What `suggestions.next-best-actions` returns: ranked proposals for one client, each with its evidence.
public struct NextBestActions: PromptOutput {
    public static let promptIDs = ["suggestions.next-best-actions"]

    public var actions: [Action]

    public init(actions: [Action]) {
        self.actions = actions
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case actions }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        actions = try container.decode([Action].self, forKey: .actions)
    }

    /// One proposal; `type` uses the suggestion engine's types so accepted ones become `Suggestion`s.
    public struct Action: Codable, Sendable, Hashable {
        public var type: SuggestionType
        /// 0...100, higher first (the `Suggestion.priority` scale).
        public var priority: Int
        public var title: String
        public var reasoning: String
        /// The context items that support it (`activity:40: "asked for a quote"`).
        public var evidence: [String]
        /// The concrete next step a person can approve ("Draft a check-in email to Dana about the Q3 order").
        public var proposedAction: String

        public init(
            type: SuggestionType, priority: Int, title: String, reasoning: String, evidence: [String], proposedAction: String
        ) {
            self.type = type
            self.priority = priority
            self.title = title
            self.reasoning = reasoning
            self.evidence = evidence
            self.proposedAction = proposedAction
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case type, priority, title, reasoning, evidence
            case proposedAction = "proposed_action"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            type = try container.decode(SuggestionType.self, forKey: .type)
            priority = try container.decode(Int.self, forKey: .priority)
            title = try container.decode(String.self, forKey: .title)
            reasoning = try container.decode(String.self, forKey: .reasoning)
            evidence = try container.decode([String].self, forKey: .evidence)
            proposedAction = try container.decode(String.self, forKey: .proposedAction)
        }
    }
}
