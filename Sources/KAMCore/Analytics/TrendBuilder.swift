/// A metric's trend from its daily snapshot rows: pure, so each rule (a level at the period's last snapshotted day,
/// a flow summed, a ratio of sums) is checked on hand-made rows.
///
/// For example:
/// ```swift
/// let weeks = TrendBuilder.periods(metric, days: snapshotted, rows: rows) { $0.weekName }
/// // [TrendPoint(bucket: "2026-W48", dimension: "proposal", value: 3), ...]
/// ```
public enum TrendBuilder {
    /// One point for each period (in the order of `days`) and dimension value seen in `rows`.
    ///
    /// - Parameters:
    ///   - days: the snapshotted days of the range, ascending: the periods are theirs, and a level is read on the
    ///     last of them in each period (a level without a row that day is 0 there).
    ///   - rows: the rows of the metric's `components` in the range, summed over owners or not.
    ///   - period: the period a day belongs to (`\.weekName`, `\.monthName`).
    public static func periods(
        _ metric: AnalyticsMetric, days: [AnalyticsDay], rows: [SnapshotRow], period: (AnalyticsDay) -> String
    ) -> [TrendPoint] {
        var buckets: [String] = []
        var last: [String: AnalyticsDay] = [:]
        // Each day's period named once: rows outnumber days, and naming a week reads a calendar.
        var periodOf: [AnalyticsDay: String] = [:]
        for day in days {
            let name = period(day)
            periodOf[day] = name
            if last[name] == nil { buckets.append(name) }
            last[name] = max(last[name] ?? day, day)
        }
        return points(metric, buckets: buckets, lastDay: { last[$0] }, rows: rows) { periodOf[$0.day] ?? period($0.day) }
    }

    /// One point for each owner with rows (sorted; "" is records without an owner) and dimension value: a level at
    /// the range's last snapshotted day, a flow summed over the range.
    public static func owners(_ metric: AnalyticsMetric, days: [AnalyticsDay], rows: [SnapshotRow]) -> [TrendPoint] {
        let last = days.max()
        let owners = Set(rows.map(\.owner)).sorted()
        return points(metric, buckets: owners, lastDay: { _ in last }, rows: rows, key: \.owner)
    }

    /// `sum + value`, saturating at the largest finite double (JSON cannot carry infinity).
    private static func add(_ sum: Double?, _ value: Double) -> Double {
        FiniteSum.saturated((sum ?? 0) + value)
    }

    private static func points(
        _ metric: AnalyticsMetric, buckets: [String], lastDay: (String) -> AnalyticsDay?, rows: [SnapshotRow],
        key: (SnapshotRow) -> String
    ) -> [TrendPoint] {
        let known = Set(buckets)
        switch metric.kind {
        case .ratio(let numerator, let denominator, let scale):
            var above: [String: Double] = [:]
            var below: [String: Double] = [:]
            for row in rows {
                let bucket = key(row)
                guard known.contains(bucket) else { continue }
                if numerator.contains(row.metric) { above[bucket] = add(above[bucket], row.value) }
                if denominator.contains(row.metric) { below[bucket] = add(below[bucket], row.value) }
            }
            return buckets.map { bucket in
                let divisor = below[bucket] ?? 0
                return TrendPoint(
                    bucket: bucket, value: divisor == 0 ? nil : FiniteSum.saturated((above[bucket] ?? 0) / divisor * scale))
            }
        case .level, .flow:
            var sums: [String: [String: Double]] = [:]
            var dimensions: Set<String> = []
            for row in rows where row.metric == metric.name {
                let bucket = key(row)
                guard known.contains(bucket) else { continue }
                dimensions.insert(row.dimension)
                if metric.kind == .level, row.day != lastDay(bucket) { continue }
                sums[bucket, default: [:]][row.dimension] = add(sums[bucket]?[row.dimension], row.value)
            }
            let columns = dimensions.isEmpty ? [""] : dimensions.sorted()
            return buckets.flatMap { bucket in
                columns.map { TrendPoint(bucket: bucket, dimension: $0, value: sums[bucket]?[$0] ?? 0) }
            }
        }
    }
}
