/// What `analysis.campaign-insights` returns: what worked in one campaign, segment by segment, and what to try next.
public struct CampaignInsights: PromptOutput {
    public static let promptIDs = ["analysis.campaign-insights"]

    public var summary: String
    public var segments: [SegmentInsight]
    public var recommendations: [String]

    public init(summary: String, segments: [SegmentInsight], recommendations: [String]) {
        self.summary = summary
        self.segments = segments
        self.recommendations = recommendations
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case summary, segments, recommendations }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
        summary = try container.decode(String.self, forKey: .summary)
        segments = try container.decode([SegmentInsight].self, forKey: .segments)
        recommendations = try container.decode([String].self, forKey: .recommendations)
    }

    /// How the campaign did with one segment, and why the figures say so.
    public struct SegmentInsight: Codable, Sendable, Hashable {
        public var segment: String
        public var verdict: Verdict
        public var why: String

        public init(segment: String, verdict: Verdict, why: String) {
            self.segment = segment
            self.verdict = verdict
            self.why = why
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case segment, verdict, why }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.strictContainer(keyedBy: CodingKeys.self)
            segment = try container.decode(String.self, forKey: .segment)
            verdict = try container.decode(Verdict.self, forKey: .verdict)
            why = try container.decode(String.self, forKey: .why)
        }
    }

    /// Whether the campaign worked with a segment.
    public enum Verdict: String, Codable, Sendable, CaseIterable {
        case worked, mixed
        case didNotWork = "did-not-work"
    }
}
