import Foundation

/// A client's health from 0 to 100, with the factors that make it up and why.
public struct HealthScore: Codable, Sendable, Hashable {
    public var clientID: String
    public var score: Int
    public var band: HealthBand
    public var factors: [HealthFactor]
    public var computedAt: Date

    /// - Parameter band: the band the score was put in; nil puts it in the default bands (80, 60, 40).
    public init(clientID: String, score: Int, band: HealthBand? = nil, factors: [HealthFactor], computedAt: Date) {
        self.clientID = clientID
        self.score = score
        self.band = band ?? HealthBand(score: score)
        self.factors = factors
        self.computedAt = computedAt
    }
}

/// One weighted part of the health score.
public struct HealthFactor: Codable, Sendable, Hashable {
    public var name: String
    /// The factor's share of the total, 0...1.
    public var weight: Double
    /// 0...100 before weighting.
    public var score: Int
    public var explanation: String

    public init(name: String, weight: Double, score: Int, explanation: String) {
        self.name = name
        self.weight = weight
        self.score = min(100, max(0, score))
        self.explanation = explanation
    }
}

/// By default 80–100 excellent, 60–79 good, 40–59 at risk, 0–39 critical (`rules.health.bands` of
/// `kam.yaml` moves the boundaries).
public enum HealthBand: String, Codable, Sendable, CaseIterable {
    case excellent, good, atRisk = "at-risk", critical

    /// The band of `score`; `thresholds` hold the lowest score of each band.
    public init(score: Int, thresholds: HealthThresholds = HealthThresholds()) {
        if score >= thresholds.excellentBand {
            self = .excellent
        } else if score >= thresholds.goodBand {
            self = .good
        } else if score >= thresholds.atRiskBand {
            self = .atRisk
        } else {
            self = .critical
        }
    }
}
