import Foundation

/// One figure a benchmark measured, printed as a JSON line with `--json`.
struct BenchResult: Encodable, Sendable {
    var benchmark: String
    var metric: String
    var value: Double
    var unit: String
    var p50: Double? = nil
    var p99: Double? = nil
    var n: Int? = nil
}

/// A named benchmark: `kam-bench NAME [--json] [args...]`.
struct Benchmark: Sendable {
    var name: String
    var summary: String
    var run: @Sendable (_ arguments: [String]) async throws -> [BenchResult]
}

/// The value after `--name` in a benchmark's arguments (`--calls 120`), if given.
func option(_ name: String, in arguments: [String]) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

/// Percentiles of a sample (nearest-rank).
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

/// Seconds of a monotonic clock.
func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}
