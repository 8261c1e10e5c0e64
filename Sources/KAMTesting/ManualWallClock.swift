import Foundation
import Synchronization

/// A wall clock a test moves by hand: hand `{ clock.now }` to anything that takes a `now` closure.
///
/// The `Date` counterpart of `ManualClock` (which drives sleeps on `any Clock<Duration>`): budgets,
/// ledgers and the runtime read the date through a closure, and this one only moves when the test
/// says so.
///
/// ```swift
/// let clock = ManualWallClock(Date(timeIntervalSince1970: 1_790_000_000))
/// let ledger = BudgetLedger(store: store, prices: prices, now: { clock.now })
/// clock.advance(days: 1)
/// ```
public final class ManualWallClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func advance(_ seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    public func advance(days: Double) {
        advance(days * 86_400)
    }

    /// Puts the clock at `date`, earlier or later than now.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}
