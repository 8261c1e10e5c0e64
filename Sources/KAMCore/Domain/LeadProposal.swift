import Foundation

/// One field lead enrichment proposed for a lead, kept until a person accepts or rejects it: nothing of an enrichment
/// reaches the lead before that (`kam leads accept|reject CLIENT FIELD`).
public struct LeadProposal: Codable, Sendable, Hashable {
    /// What a proposal is about, and where an accepted one goes.
    public enum Field: String, Codable, Sendable, CaseIterable {
        /// The client's industry.
        case industry
        /// The lead's size band (`LeadDetails.sizeBand`).
        case sizeBand = "size-band"
        /// The lead's likely needs (`LeadDetails.needs`).
        case needs
        /// New contacts with the decision-maker role (one a person not yet a contact, by name).
        case decisionMakers = "decision-makers"
        /// The lead's ICP fit score and its reasons (`LeadDetails.icpScore`, `.icpReasons`).
        case icpFit = "icp-fit"
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        case pending, accepted, rejected
        /// A newer enrichment proposed the field again before anyone decided.
        case superseded
    }

    /// A person named in the records who decides or signs.
    public struct Person: Codable, Sendable, Hashable {
        public var name: String
        public var title: String?

        public init(name: String, title: String? = nil) {
            self.name = name
            self.title = title
        }
    }

    /// The proposed value; which part is set depends on `field`.
    public struct Value: Codable, Sendable, Hashable {
        /// industry, size-band.
        public var text: String?
        /// needs, and the reasons of icp-fit.
        public var items: [String]?
        /// decision-makers.
        public var people: [Person]?
        /// icp-fit, 0...100.
        public var score: Int?

        public init(text: String? = nil, items: [String]? = nil, people: [Person]? = nil, score: Int? = nil) {
            self.text = text
            self.items = items
            self.people = people
            self.score = score
        }
    }

    public var id: Int64?
    public var clientID: String
    public var field: Field
    public var value: Value
    /// The records it comes from (`email 12, activity 4`).
    public var source: String
    /// 0...1: how sure the records make it.
    public var confidence: Double
    public var status: Status
    /// The prompt version that proposed it (`analysis.lead-enrichment@1`).
    public var prompt: String
    public var createdAt: Date
    public var decidedAt: Date?
    public var decidedBy: String?

    public init(
        id: Int64? = nil, clientID: String, field: Field, value: Value, source: String, confidence: Double,
        status: Status = .pending, prompt: String, createdAt: Date, decidedAt: Date? = nil, decidedBy: String? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.field = field
        self.value = value
        self.source = source
        self.confidence = confidence
        self.status = status
        self.prompt = prompt
        self.createdAt = createdAt
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
    }

    enum CodingKeys: String, CodingKey {
        case id, field, value, source, confidence, status, prompt
        case clientID = "client_id"
        case createdAt = "created_at"
        case decidedAt = "decided_at"
        case decidedBy = "decided_by"
    }

    /// The proposals of one enrichment's answer: a field only when the records showed it (an `unknown` industry or
    /// size band, or an empty list of needs or decision makers, proposes nothing), the ICP fit always.
    public static func proposals(
        from answer: LeadEnrichment, clientID: String, prompt: String, at now: Date
    ) -> [LeadProposal] {
        func make(_ field: Field, _ value: Value, _ source: String, _ confidence: Double) -> LeadProposal {
            LeadProposal(
                clientID: clientID, field: field, value: value, source: source, confidence: min(max(confidence, 0), 1),
                prompt: prompt, createdAt: now)
        }
        /// The distinct sources of several items, in order; the lowest confidence stands for them all.
        func joined(_ sources: [String]) -> String {
            var seen: Set<String> = []
            return sources.filter { seen.insert($0).inserted }.joined(separator: ", ")
        }
        var out: [LeadProposal] = []
        let industry = answer.industry.value.trimmingCharacters(in: .whitespacesAndNewlines)
        if !industry.isEmpty, industry.lowercased() != LeadEnrichment.unknown {
            out.append(make(.industry, Value(text: industry), answer.industry.source, answer.industry.confidence))
        }
        if let band = CompanySize(rawValue: answer.sizeBand.value) {
            out.append(make(.sizeBand, Value(text: band.rawValue), answer.sizeBand.source, answer.sizeBand.confidence))
        }
        if !answer.needs.isEmpty {
            out.append(
                make(
                    .needs, Value(items: answer.needs.map(\.need)), joined(answer.needs.map(\.source)),
                    answer.needs.map(\.confidence).min() ?? 0))
        }
        if !answer.decisionMakers.isEmpty {
            let people = answer.decisionMakers.map { Person(name: $0.name, title: $0.title.isEmpty ? nil : $0.title) }
            out.append(
                make(
                    .decisionMakers, Value(people: people), joined(answer.decisionMakers.map(\.source)),
                    answer.decisionMakers.map(\.confidence).min() ?? 0))
        }
        out.append(
            make(
                .icpFit, Value(items: answer.icpFit.reasons, score: min(max(answer.icpFit.score, 0), 100)),
                answer.icpFit.source, answer.icpFit.confidence))
        return out
    }
}
