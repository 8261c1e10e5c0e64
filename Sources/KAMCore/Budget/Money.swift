import Foundation

/// An amount of US dollars, held as an integer count of picodollars (10⁻¹² $).
///
/// Prices per token are fractions of a cent (gpt-4o-mini's cached input is $0.000000075 a token),
/// so money is an integer of a unit small enough that every listed price and every cost is exact:
/// sums never drift as floating point would, and SQLite adds them with `SUM` exactly.
/// `Int64` picodollars hold up to about $9.2 million, far above any budget KAM accepts
/// (`Money.maximumBudget`).
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var picodollars: Int64

    public static let picodollarsPerDollar: Int64 = 1_000_000_000_000
    public static let zero = Money(picodollars: 0)
    /// The largest budget amount accepted, so that sums of a period stay far from `Int64` overflow.
    public static let maximumBudget = Money(picodollars: 1_000_000 * picodollarsPerDollar)

    public init(picodollars: Int64) {
        self.picodollars = picodollars
    }

    /// Whole dollars, for tests and literals.
    public init(dollars: Int) {
        self.picodollars = Int64(dollars) * Money.picodollarsPerDollar
    }

    /// Parses a decimal dollar amount exactly: `25`, `25.00`, `$0.0015`, `1_000.5`.
    ///
    /// Returns `nil` for anything else (negative amounts, more than 12 decimals, exponents), so callers
    /// can report where the bad value was.
    public init?(dollars text: String) {
        var text = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
        if text.hasPrefix("$") { text.removeFirst() }
        guard !text.isEmpty else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let whole = parts[0].isEmpty ? "0" : String(parts[0])
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        guard whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
            fraction.count <= 12, whole.count <= 7, let wholeValue = Int64(whole)
        else { return nil }
        let padded = fraction + String(repeating: "0", count: 12 - fraction.count)
        guard let fractionValue = Int64(padded) else { return nil }
        self.picodollars = wholeValue * Money.picodollarsPerDollar + fractionValue
    }

    /// A price given in dollars per million tokens (how price lists state it) as a price per token.
    ///
    /// Rounds to the nearest picodollar per token: exact for every price with up to six decimals.
    public init(dollarsPerMillionTokens value: Double) {
        self.picodollars = Int64((value * 1_000_000).rounded())
    }

    /// The amount as dollars, for display and JSON output only; never sum these.
    public var dollars: Double { Double(picodollars) / Double(Money.picodollarsPerDollar) }

    /// A price per token as dollars per million tokens, the unit of price lists.
    public var dollarsPerMillionTokens: Double { Double(picodollars) / 1_000_000 }

    /// `$25.00`, `$0.0015`, `$0.000000075`: exact, with at least two decimals.
    public var description: String {
        let sign = picodollars < 0 ? "-" : ""
        let magnitude = picodollars.magnitude
        let whole = magnitude / UInt64(Money.picodollarsPerDollar)
        var fraction = String(magnitude % UInt64(Money.picodollarsPerDollar))
        fraction = String(repeating: "0", count: 12 - fraction.count) + fraction
        while fraction.count > 2 && fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(sign)$\(whole).\(fraction)"
    }

    /// The amount as a plain decimal string without the dollar sign (`25.00`), for machine output.
    public var decimalString: String {
        String(description.replacingOccurrences(of: "$", with: ""))
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.picodollars < rhs.picodollars }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(picodollars: lhs.picodollars + rhs.picodollars) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(picodollars: lhs.picodollars - rhs.picodollars) }
    public static func += (lhs: inout Money, rhs: Money) { lhs = lhs + rhs }
    public static func -= (lhs: inout Money, rhs: Money) { lhs = lhs - rhs }

    /// A per-token price times a token count.
    public static func * (price: Money, tokens: Int) -> Money {
        Money(picodollars: price.picodollars * Int64(tokens))
    }

    public init(from decoder: any Decoder) throws {
        picodollars = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(picodollars)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
