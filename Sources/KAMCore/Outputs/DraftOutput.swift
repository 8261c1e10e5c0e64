/// What a draft prompt returns: an outbound message for a person to review, with the facts it used.
public struct DraftOutput: PromptOutput {
    public static let promptIDs = ["draft.follow-up-email", "draft.check-in", "draft.deal-update", "draft.task-reminder", "draft.support-reply"]

    public var subject: String
    public var body: String
    public var callToAction: String
    public var tone: DraftTone
    /// Facts from the context the message relies on, each with where it came from, so a reviewer can check them.
    public var factsUsed: [DraftFact]

    public init(subject: String, body: String, callToAction: String, tone: DraftTone, factsUsed: [DraftFact]) {
        self.subject = subject
        self.body = body
        self.callToAction = callToAction
        self.tone = tone
        self.factsUsed = factsUsed
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case subject, body, tone
        case callToAction = "call_to_action"
        case factsUsed = "facts_used"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        subject = try container.decode(String.self, forKey: .subject)
        body = try container.decode(String.self, forKey: .body)
        callToAction = try container.decode(String.self, forKey: .callToAction)
        tone = try container.decode(DraftTone.self, forKey: .tone)
        factsUsed = try container.decode([DraftFact].self, forKey: .factsUsed)
    }

    /// The message part, as the draft lifecycle stores it.
    public var content: DraftContent {
        DraftContent(subject: subject, body: body, callToAction: callToAction)
    }
}

extension DraftOutput: TapeDecodable {
    init(tape: TapeValue) throws {
        let object = try tape.object(keyedBy: CodingKeys.self)
        self.init(
            subject: try object.string(.subject), body: try object.string(.body), callToAction: try object.string(.callToAction),
            tone: try object.decode(DraftTone.self, .tone), factsUsed: try object.array(of: DraftFact.self, .factsUsed))
    }
}

/// The register a draft is written in.
public enum DraftTone: String, Codable, Sendable, Hashable, CaseIterable {
    case formal, friendly, neutral, urgent, appreciative
}

/// A fact a draft used and the context item it came from (`memory:12`, `activity:40`, `deal:7`).
public struct DraftFact: Codable, Sendable, Hashable {
    public var fact: String
    public var source: String

    public init(fact: String, source: String) {
        self.fact = fact
        self.source = source
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case fact, source
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        fact = try container.decode(String.self, forKey: .fact)
        source = try container.decode(String.self, forKey: .source)
    }
}

extension DraftFact: TapeDecodable {
    init(tape: TapeValue) throws {
        let object = try tape.object(keyedBy: CodingKeys.self)
        self.init(fact: try object.string(.fact), source: try object.string(.source))
    }
}
