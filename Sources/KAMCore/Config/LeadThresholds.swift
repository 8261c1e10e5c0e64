/// How a lead is scored and when it qualifies: `rules.lead` of `kam.yaml`.
///
/// BANT points for each criterion met (budget, authority, need, timeline; they add up to 100) and the
/// score at which `new` or `contacted` moves to `qualified` on its own. The defaults are the sales OS
/// document's (004): 25 points each, qualified at 50.
public struct LeadThresholds: Sendable, Hashable {
    public var budgetPoints: Int
    public var authorityPoints: Int
    public var needPoints: Int
    public var timelinePoints: Int
    /// The BANT score at which a lead is qualified automatically.
    public var qualifyingScore: Int

    public init(
        budgetPoints: Int = 25,
        authorityPoints: Int = 25,
        needPoints: Int = 25,
        timelinePoints: Int = 25,
        qualifyingScore: Int = 50
    ) {
        self.budgetPoints = budgetPoints
        self.authorityPoints = authorityPoints
        self.needPoints = needPoints
        self.timelinePoints = timelinePoints
        self.qualifyingScore = qualifyingScore
    }
}
