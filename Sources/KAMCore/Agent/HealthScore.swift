import Foundation

/// A client's health from 0 to 100, with the factors that make it up and why.
public struct HealthScore: Codable, Sendable, Hashable {
    public var clientID: String
    public var score: Int
    public var band: HealthBand
    public var factors: [HealthFactor]
    public var computedAt: Date

    public init(clientID: String, score: Int, factors: [HealthFactor], computedAt: Date) {
        self.clientID = clientID
        self.score = score
        self.band = HealthBand(score: score)
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

/// 80–100 excellent, 60–79 good, 40–59 at risk, 0–39 critical.
public enum HealthBand: String, Codable, Sendable, CaseIterable {
    case excellent, good, atRisk = "at-risk", critical

    public init(score: Int) {
        switch score {
        case 80...: self = .excellent
        case 60..<80: self = .good
        case 40..<60: self = .atRisk
        default: self = .critical
        }
    }
}
