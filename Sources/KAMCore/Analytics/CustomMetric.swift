/// A metric defined in kam.yaml (`analytics: metrics:`): the records of one stored entity that match every filter,
/// counted, or one of their number fields summed or averaged, per owner (the record's client's), snapshotted daily
/// with the built-in metrics as the entities stand when the snapshot is taken (a level).
///
/// ```yaml
/// analytics:
///   metrics:
///     - name: enterprise-negotiations      # read as custom.enterprise-negotiations
///       entity: deals
///       where: {stage: negotiation, client.tier: [enterprise, professional]}
///       aggregate: sum                     # count, sum or avg
///       field: amount                      # the number field of sum and avg
/// ```
public struct CustomMetric: Sendable, Hashable {
    public enum Aggregate: String, Sendable, Hashable, CaseIterable {
        case count, sum, avg
    }

    /// Records whose `field` equals one of `values`.
    public struct Filter: Sendable, Hashable {
        public var field: String
        public var values: [String]

        public init(field: String, values: [String]) {
            self.field = field
            self.values = values
        }
    }

    /// The name in kam.yaml (`[a-z0-9-]`); the metric is `custom.<name>`.
    public var name: String
    public var entity: CustomMetricEntity
    public var filters: [Filter]
    public var aggregate: Aggregate
    /// The number field `sum` and `avg` read; nil for `count`.
    public var field: String?

    public init(name: String, entity: CustomMetricEntity, filters: [Filter] = [], aggregate: Aggregate = .count, field: String? = nil) {
        self.name = name
        self.entity = entity
        self.filters = filters
        self.aggregate = aggregate
        self.field = field
    }

    /// `custom.<name>`: what `kam analytics trends` takes.
    public var metricName: String { "custom.\(name)" }

    /// The stored rows' metrics: the figure itself, or for an average its sum and its count (so owners and days add up).
    public var storedNames: [String] {
        aggregate == .avg ? [metricName + ":sum", metricName + ":count"] : [metricName]
    }

    /// The metric `kam analytics trends` reads: a level, or for an average the ratio of its stored sum to its count.
    public var analyticsMetric: AnalyticsMetric {
        let what = "\(aggregate.rawValue)\(field.map { " of \($0)" } ?? "") of the \(entity.rawValue) matching kam.yaml's filter"
        guard aggregate == .avg else { return AnalyticsMetric(name: metricName, kind: .level, summary: what) }
        return AnalyticsMetric(
            name: metricName, kind: .ratio(numerator: [storedNames[0]], denominator: [storedNames[1]], scale: 1), summary: what)
    }
}
