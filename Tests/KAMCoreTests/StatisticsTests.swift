import Foundation
import KAMCore
import Testing

@Suite struct StatisticsTests {
    @Test func wilsonMatchesReferenceValues() {
        // Reference: statsmodels proportion_confint(8, 10, method="wilson") = (0.4902, 0.9433)
        let (low, high) = Statistics.wilson(successes: 8, trials: 10)
        #expect(abs(low - 0.4902) < 0.0005)
        #expect(abs(high - 0.9433) < 0.0005)
        let (l0, h0) = Statistics.wilson(successes: 0, trials: 20)
        #expect(l0 == 0)
        #expect(abs(h0 - 0.1611) < 0.0005)
    }

    @Test func mcNemarExactMatchesBinomialTest() {
        // scipy.stats.binomtest(1, 9, 0.5).pvalue = 0.0390625
        #expect(abs(Statistics.mcNemarExact(b: 1, c: 8) - 0.0390625) < 1e-9)
        #expect(Statistics.mcNemarExact(b: 5, c: 5) == 1)
        #expect(Statistics.mcNemarExact(b: 0, c: 0) == 1)
    }

    @Test func bootstrapIsReproducibleAndBracketsTheMean() {
        let a = (0..<40).map { Double($0 % 5) / 4 }
        let b = a.map { min(1, $0 + 0.2) }
        let first = Statistics.pairedBootstrap(a, b, seed: 7)
        let second = Statistics.pairedBootstrap(a, b, seed: 7)
        #expect(first.low == second.low && first.high == second.high)
        #expect(first.low <= first.mean && first.mean <= first.high)
        #expect(first.low > 0)
    }

    @Test func casesNeededGrowsAsTheDifferenceShrinks() throws {
        let big = try #require(Statistics.casesNeeded(pB: 0.05, pC: 0.25))
        let small = try #require(Statistics.casesNeeded(pB: 0.10, pC: 0.15))
        #expect(big < small)
        #expect(Statistics.casesNeeded(pB: 0.1, pC: 0.1) == nil)
    }
}
