import Foundation

/// How long an assembled context stays what it is while only the clock moves.
extension ContextAssembler {
    /// The first instant after `now` at which `assemble(snapshot:now:)` of the same snapshot may differ (other than
    /// its `assembledAt`): for every `now'` with `now <= now' < stableUntil`, assembling at `now'` gives the same
    /// sections, items, fields, tokens and drops as assembling at `now`.
    ///
    /// What the clock changes in a context, each bounded here: an activity leaves the window
    /// (`occurredAt + activityDays`), a whole-day count ticks (days since the last interaction, an activity's
    /// `days_ago`, a deal's days in its stage, a task's days overdue), a pending task becomes overdue (its due
    /// instant). A new dependency on `now` in `makeCandidates` must add its bound here
    /// (`ContextStabilityTests` assembles at many instants before the bound and compares).
    public func stableUntil(snapshot: ClientSnapshot, now: Date) -> Date {
        var until = Date.distantFuture
        // A millisecond early, so no rounding of `Date` arithmetic can put an instant on the far side of a tick.
        func bound(_ instant: Date) { until = min(until, instant.addingTimeInterval(-0.001)) }
        let window = Double(max(0, options.activityDays)) * 86_400
        let since = windowStart(now: now)
        if let last = snapshot.lastInteractionAt ?? snapshot.activities.map(\.occurredAt).max() {
            bound(Self.nextDayTick(of: last, after: now))
        }
        for activity in snapshot.activities where activity.occurredAt >= since {
            bound(activity.occurredAt.addingTimeInterval(window))
            bound(Self.nextDayTick(of: activity.occurredAt, after: now))
        }
        for deal in snapshot.openDeals where deal.stage.isOpen {
            bound(Self.nextDayTick(of: deal.stageEnteredAt, after: now))
        }
        for task in snapshot.pendingTasks where task.status.isPending {
            guard let due = task.due else { continue }
            if due >= now { bound(due) } else { bound(Self.nextDayTick(of: due, after: now)) }
        }
        return max(until, now)
    }

    /// The next instant after `now` at which `ContextFormat.wholeDays(from: start, to:)` may change: it is constant
    /// between whole days after (or before) `start`. A tick exactly at `now` ahead of `start` (where the count
    /// changes just after `now`) gives `now` itself: nothing later is the same.
    static func nextDayTick(of start: Date, after now: Date) -> Date {
        let day = 86_400.0
        let elapsed = now.timeIntervalSince(start)
        if elapsed >= 0 {
            return start.addingTimeInterval(((elapsed / day).rounded(.down) + 1) * day)
        }
        // Before `start` the count truncates towards zero: constant on (-(m+1) days, -m days].
        let whole = (-elapsed / day).rounded(.down)
        return start.addingTimeInterval(-whole * day)
    }
}
