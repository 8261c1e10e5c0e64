/// One stored figure of the analytics snapshots: a metric's value on a day for one owner and one dimension value.
///
/// `owner` is "" for records without an owner, `dimension` "" for a metric without a dimension. Read back summed
/// over owners, a row's `owner` is "".
public struct SnapshotRow: Sendable, Hashable, Codable {
    public var day: AnalyticsDay
    /// A `SnapshotMetric`'s raw value, or `custom.<name>` for a metric of kam.yaml.
    public var metric: String
    public var owner: String
    public var dimension: String
    public var value: Double

    public init(day: AnalyticsDay, metric: String, owner: String = "", dimension: String = "", value: Double) {
        self.day = day
        self.metric = metric
        self.owner = owner
        self.dimension = dimension
        self.value = value
    }
}
