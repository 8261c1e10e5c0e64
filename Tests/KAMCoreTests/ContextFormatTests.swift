import Foundation
import KAMCore
import Testing

/// How context text writes amounts: grouped and rounded to cents, and never a crash on a huge one (a deal of
/// 1e300 dollars once stopped the server while its context was assembled).
@Suite struct ContextFormatTests {
    @Test func amountsAreGroupedAndRoundedToCents() {
        #expect(ContextFormat.amount(12_500) == "12,500")
        #expect(ContextFormat.amount(12_500.754) == "12,500.75")
        #expect(ContextFormat.amount(0.05) == "0.05")
        #expect(ContextFormat.amount(-1_234_567.5) == "-1,234,567.50")
        #expect(ContextFormat.money(999_999_999_999_999, "USD").hasSuffix(" USD"))
    }

    @Test func hugeAmountsAreWrittenWholeInsteadOfTrapping() {
        for value in [1e15, 9.3e16, 1e19, 1e300, Double.greatestFiniteMagnitude, -1e300] {
            let text = ContextFormat.amount(value)
            #expect(text == String(format: "%.0f", value), "\(value)")
        }
        #expect(ContextFormat.amount(.infinity) == "inf")
    }

    @Test func wholeNumbersTruncateLikeIntButNeverTrap() {
        for value in [0, 12_500.75, -3.9, 9_007_199_254_740_992, 1e300, -Double.greatestFiniteMagnitude] {
            let expected = abs(value) < 1e18 ? String(Int(value)) : String(format: "%.0f", value)
            #expect(ContextFormat.whole(value) == expected, "\(value)")
        }
    }
}
