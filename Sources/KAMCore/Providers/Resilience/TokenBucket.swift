/// A token bucket: holds up to `capacity`, refills continuously at `capacity` per minute.
///
/// Pure value arithmetic over a time measured from an arbitrary origin, so it is trivially testable;
/// `RateLimiter` owns the buckets and the clock. The level may go negative: a caller that takes
/// more than is there has taken a debt the next callers wait out, which keeps large requests from
/// starving behind a stream of small ones.
public struct TokenBucket: Sendable, Hashable {
    public let capacity: Double
    public private(set) var level: Double
    public private(set) var updatedAt: Duration

    public init(capacity: Int, at time: Duration) {
        self.capacity = Double(max(capacity, 1))
        self.level = self.capacity
        self.updatedAt = time
    }

    /// Refill per second.
    public var ratePerSecond: Double { capacity / 60 }

    /// Brings the level up to `time`.
    public mutating func refill(to time: Duration) {
        guard time > updatedAt else { return }
        let elapsed = (time - updatedAt).seconds
        level = min(capacity, level + elapsed * ratePerSecond)
        updatedAt = time
    }

    /// How long from `time` until `amount` is available (zero if it already is).
    public func waitTime(for amount: Double, at time: Duration) -> Duration {
        var copy = self
        copy.refill(to: time)
        let needed = min(amount, capacity) - copy.level
        guard needed > 0 else { return .zero }
        return .nanoseconds(Int64((needed / ratePerSecond * 1e9).rounded(.up)))
    }

    /// Takes `amount` now (the level may go negative, see the type's note).
    public mutating func take(_ amount: Double, at time: Duration) {
        refill(to: time)
        level = min(capacity, level - amount)
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
