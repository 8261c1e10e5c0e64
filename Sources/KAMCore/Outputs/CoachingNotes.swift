/// What `analysis.team-coaching` returns: coaching notes on one account manager's week.
public struct CoachingNotes: PromptOutput {
    public static let promptIDs = ["analysis.team-coaching"]

    public var summary: String
    public var notes: [String]

    public init(summary: String, notes: [String]) {
        self.summary = summary
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case summary, notes }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        summary = try container.decode(String.self, forKey: .summary)
        notes = try container.decode([String].self, forKey: .notes)
    }
}
