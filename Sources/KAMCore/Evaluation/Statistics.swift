import Foundation

/// The statistics an evaluation reports: interval estimates for pass rates, a paired exact test,
/// a paired bootstrap, and how many cases a suite needs to see a difference.
public enum Statistics {
    /// Wilson score interval for a binomial proportion (95 % by default).
    ///
    /// Chosen over the normal approximation because eval suites are small and pass rates sit near
    /// 0 or 1, where the normal interval leaves [0, 1] or collapses to a point.
    public static func wilson(successes: Int, trials: Int, z: Double = 1.959964) -> (low: Double, high: Double) {
        guard trials > 0 else { return (0, 1) }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let center = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return (max(0, center - half), min(1, center + half))
    }

    /// McNemar's exact test on discordant pairs: `b` cases only A passed, `c` cases only B passed.
    /// Returns the two-sided p-value from the binomial(b + c, 1/2) distribution.
    public static func mcNemarExact(b: Int, c: Int) -> Double {
        let n = b + c
        guard n > 0 else { return 1 }
        let k = min(b, c)
        // P(X <= k) with X ~ Binomial(n, 0.5), summed in log space to stay exact for large n.
        var tail = 0.0
        for i in 0...k { tail += exp(logChoose(n, i) - Double(n) * M_LN2) }
        return min(1, 2 * tail)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
    }

    /// A percentile interval of the mean paired difference `b[i] - a[i]`, from `resamples` bootstrap draws.
    /// The generator is seeded so a report is reproducible.
    public static func pairedBootstrap(
        _ a: [Double], _ b: [Double], resamples: Int = 2_000, confidence: Double = 0.95, seed: UInt64 = 42
    ) -> (mean: Double, low: Double, high: Double) {
        precondition(a.count == b.count, "paired samples must have the same length")
        let diffs = zip(a, b).map { $1 - $0 }
        guard !diffs.isEmpty else { return (0, 0, 0) }
        let mean = diffs.reduce(0, +) / Double(diffs.count)
        var rng = SplitMix64(seed: seed)
        var means: [Double] = []
        means.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var sum = 0.0
            for _ in 0..<diffs.count { sum += diffs[Int(rng.next() % UInt64(diffs.count))] }
            means.append(sum / Double(diffs.count))
        }
        means.sort()
        let alpha = (1 - confidence) / 2
        return (mean, quantile(means, alpha), quantile(means, 1 - alpha))
    }

    /// Cases needed for McNemar's test to detect the observed discordance at α = 0.05 with 80 % power
    /// (Connor 1987). `pB` and `pC` are the discordant proportions; nil when there is no difference to detect.
    public static func casesNeeded(pB: Double, pC: Double, zAlpha: Double = 1.959964, zBeta: Double = 0.841621) -> Int? {
        let discordant = pB + pC
        let difference = abs(pB - pC)
        guard difference > 0 else { return nil }
        let numerator = zAlpha * discordant.squareRoot() + zBeta * (discordant - difference * difference).squareRoot()
        return Int((numerator * numerator / (difference * difference)).rounded(.up))
    }

    /// Linear-interpolated quantile of sorted values.
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return sorted[lower] * (1 - weight) + sorted[upper] * weight
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64) for reproducible sampling.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
