/// How `kam analytics trends` groups a metric's daily rows: by ISO week, by calendar month (both UTC), or by owner
/// over the whole range.
public enum TrendGrouping: String, Codable, Sendable, CaseIterable {
    case week, month, owner
}
