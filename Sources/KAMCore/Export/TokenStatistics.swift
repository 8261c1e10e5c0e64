/// The distribution of token counts per example: what OpenAI's data checks print before training.
public struct TokenStatistics: Sendable, Hashable, Codable {
    public var count: Int
    public var total: Int
    public var min: Int
    public var max: Int
    public var mean: Double
    public var p50: Int
    public var p95: Int

    /// Nearest-rank percentiles of `counts` (which need not be sorted); zeros for an empty list.
    public init(counts: [Int]) {
        let sorted = counts.sorted()
        count = sorted.count
        total = sorted.reduce(0, +)
        min = sorted.first ?? 0
        max = sorted.last ?? 0
        mean = sorted.isEmpty ? 0 : Double(total) / Double(sorted.count)
        func rank(_ p: Double) -> Int {
            guard !sorted.isEmpty else { return 0 }
            let r = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.min(Swift.max(r, 0), sorted.count - 1)]
        }
        p50 = rank(50)
        p95 = rank(95)
    }
}
