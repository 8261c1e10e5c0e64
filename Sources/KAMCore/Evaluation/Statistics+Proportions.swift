import Foundation

extension Statistics {
    /// Two-sided p-value of the pooled two-proportion z-test (independent groups, as in an online
    /// experiment where each client sees one variant).
    public static func twoProportionPValue(_ successes1: Int, _ trials1: Int, _ successes2: Int, _ trials2: Int) -> Double {
        guard trials1 > 0, trials2 > 0 else { return 1 }
        let p1 = Double(successes1) / Double(trials1)
        let p2 = Double(successes2) / Double(trials2)
        let pooled = Double(successes1 + successes2) / Double(trials1 + trials2)
        let se = (pooled * (1 - pooled) * (1 / Double(trials1) + 1 / Double(trials2))).squareRoot()
        guard se > 0 else { return p1 == p2 ? 1 : 0 }
        let z = abs(p1 - p2) / se
        return min(1, erfc(z / 2.0.squareRoot()))
    }

    /// Samples per group for a two-proportion test to detect `p1` vs `p2` at α 0.05 with 80 % power;
    /// nil when they are equal.
    public static func samplesPerGroup(p1: Double, p2: Double, zAlpha: Double = 1.959964, zBeta: Double = 0.841621) -> Int? {
        let difference = abs(p1 - p2)
        guard difference > 0 else { return nil }
        let mean = (p1 + p2) / 2
        let numerator = zAlpha * (2 * mean * (1 - mean)).squareRoot() + zBeta * (p1 * (1 - p1) + p2 * (1 - p2)).squareRoot()
        return Int((numerator * numerator / (difference * difference)).rounded(.up))
    }
}
