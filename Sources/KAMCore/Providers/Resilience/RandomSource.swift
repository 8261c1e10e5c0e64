/// Where backoff jitter comes from: the system generator in production, a fixed sequence in tests.
public struct RandomSource: Sendable {
    /// Returns a number in `0 ..< 1`.
    public var next: @Sendable () -> Double

    public init(next: @escaping @Sendable () -> Double) {
        self.next = next
    }

    /// Uniform numbers from the system's generator.
    public static let system = RandomSource { Double.random(in: 0..<1) }

    /// Always the same number: `constant(0.5)` makes every backoff half its ceiling.
    public static func constant(_ value: Double) -> RandomSource {
        RandomSource { value }
    }
}
