/// The `analytics:` section of kam.yaml: the assumptions behind the figures analytics estimate.
///
/// ```yaml
/// analytics:
///   writing_words_per_minute: 40   # how fast the team writes an email by hand, for the time a draft saved
///   metrics:                       # custom metrics, snapshotted daily with the built-in ones (`CustomMetric`)
///     - {name: open-tasks, entity: tasks, where: {status: open}}
/// ```
public struct AnalyticsConfiguration: Sendable, Hashable {
    /// Words a person writes a minute by hand: the time an approved draft would have taken to write.
    public var writingWordsPerMinute: Double
    /// The custom metrics: filters and aggregations over the stored entities.
    public var metrics: [CustomMetric]

    public init(writingWordsPerMinute: Double = TimeSaved.defaultWordsPerMinute, metrics: [CustomMetric] = []) {
        self.writingWordsPerMinute = writingWordsPerMinute
        self.metrics = metrics
    }
}
