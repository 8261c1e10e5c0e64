/// Sums of amounts that stay finite: amounts near the largest double (which the API accepts) would otherwise add up
/// to infinity, which JSON cannot carry. Lead statistics, analytics snapshots and trends all sum this way.
public enum FiniteSum {
    /// The sum of `values`, saturating at the largest finite double.
    public static func total(_ values: [Double]) -> Double {
        var sum = 0.0
        for value in values { sum = saturated(sum + value) }
        return sum
    }

    /// `value` within the finite doubles (infinity becomes the largest finite double of its sign, NaN 0).
    public static func saturated(_ value: Double) -> Double {
        value.isFinite ? value : value.isNaN ? 0 : (value > 0 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude)
    }
}
