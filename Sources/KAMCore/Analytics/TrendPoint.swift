/// One value of a trend: a period (`2026-W49`, `2026-12`) or an owner, a dimension value ("" when the metric has
/// none) and the figure, nil for a rate with nothing to divide.
public struct TrendPoint: Sendable, Hashable, Codable {
    public var bucket: String
    public var dimension: String
    public var value: Double?

    public init(bucket: String, dimension: String = "", value: Double?) {
        self.bucket = bucket
        self.dimension = dimension
        self.value = value
    }

    /// Every field, the value as null when there is none.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(bucket, forKey: .bucket)
        try container.encode(dimension, forKey: .dimension)
        try container.encode(value, forKey: .value)
    }
}
