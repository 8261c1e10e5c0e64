/// How the health score is weighted and banded: `rules.health` of `kam.yaml`.
///
/// Weights are percentages of the total (they add up to 100); a band is the lowest score that is in it,
/// and a score below `atRiskBand` is critical. The defaults are the customers system document's (002):
/// usage 30 %, support 20 %, relationship depth 25 %, business outcomes 25 %; bands 80, 60, 40.
public struct HealthThresholds: Sendable, Hashable {
    public var productUsageWeight: Int
    public var supportWeight: Int
    public var relationshipDepthWeight: Int
    public var businessOutcomesWeight: Int
    /// The lowest excellent score.
    public var excellentBand: Int
    /// The lowest good score.
    public var goodBand: Int
    /// The lowest at-risk score; below it, critical.
    public var atRiskBand: Int

    public init(
        productUsageWeight: Int = 30,
        supportWeight: Int = 20,
        relationshipDepthWeight: Int = 25,
        businessOutcomesWeight: Int = 25,
        excellentBand: Int = 80,
        goodBand: Int = 60,
        atRiskBand: Int = 40
    ) {
        self.productUsageWeight = productUsageWeight
        self.supportWeight = supportWeight
        self.relationshipDepthWeight = relationshipDepthWeight
        self.businessOutcomesWeight = businessOutcomesWeight
        self.excellentBand = excellentBand
        self.goodBand = goodBand
        self.atRiskBand = atRiskBand
    }
}
