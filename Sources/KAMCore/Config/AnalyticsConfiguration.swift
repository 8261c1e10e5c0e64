/// The `analytics:` section of kam.yaml: the assumptions behind the figures analytics estimate.
///
/// ```yaml
/// analytics:
///   writing_words_per_minute: 40   # how fast the team writes an email by hand, for the time a draft saved
/// ```
public struct AnalyticsConfiguration: Sendable, Hashable {
    /// Words a person writes a minute by hand: the time an approved draft would have taken to write.
    public var writingWordsPerMinute: Double

    public init(writingWordsPerMinute: Double = TimeSaved.defaultWordsPerMinute) {
        self.writingWordsPerMinute = writingWordsPerMinute
    }
}
