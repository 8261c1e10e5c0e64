import Foundation

/// The documented range of a numeric field (`docs/import-format.md`).
///
/// Values outside it used to be clamped (a sentiment of 5 stored as 1) or stored as they were
/// (a quantity of -1); both hide a broken export, so they are refused.
public struct NumberRule: Sendable, Equatable {
    public var lower: Double
    public var upper: Double?
    /// "a number from -1 to 1", for messages.
    public var expected: String

    public init(lower: Double, upper: Double? = nil, expected: String) {
        self.lower = lower
        self.upper = upper
        self.expected = expected
    }

    public func contains(_ value: Double) -> Bool {
        value.isFinite && value >= lower && (upper.map { value <= $0 } ?? true)
    }

    /// The message for `value`, or nil when it is in range.
    public func problem(_ value: Double) -> String? {
        contains(value) ? nil : "\(Self.format(value)) is out of range: expected \(expected)"
    }

    public static func format(_ value: Double) -> String {
        value.isFinite && value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// `monthly_budget`: money, never negative.
    public static let monthlyBudget = NumberRule(lower: 0, expected: "a number ≥ 0")
    /// An activity's `sentiment`.
    public static let sentiment = NumberRule(lower: -1, upper: 1, expected: "a number from -1 to 1")
    /// A deal's or an order's `amount`.
    public static let amount = NumberRule(lower: 0, expected: "a number ≥ 0")
    /// A deal's `probability` of closing.
    public static let probability = NumberRule(lower: 0, upper: 1, expected: "a number from 0 to 1")
    /// An order's `quantity` (the JSON type already makes it an integer).
    public static let quantity = NumberRule(lower: 1, expected: "an integer ≥ 1")
    /// A memory item's `confidence`.
    public static let confidence = NumberRule(lower: 0, upper: 1, expected: "a number from 0 to 1")
}
