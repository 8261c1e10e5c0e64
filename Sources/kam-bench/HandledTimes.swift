/// A route's request-duration histogram read back from Prometheus text (cumulative counts per upper bound in
/// seconds), so the serve bench can say how long the server itself spent on a run's requests.
///
/// `route` is the bench's path (`/clients/{client}/context`); a `{…}` segment matches the route label's
/// parameter segment (`:id` or `{id}`), whatever its name.
struct HandledTimes {
    /// Cumulative count per bucket upper bound (seconds), `+Inf` last.
    var buckets: [(bound: Double, count: Int)] = []

    var count: Int { buckets.last?.count ?? 0 }

    init(buckets: [(bound: Double, count: Int)]) { self.buckets = buckets }

    init(prometheusText text: String, metric: String, route: String) {
        let wanted = route.split(separator: "/")
        for line in text.split(separator: "\n") where line.hasPrefix(metric + "_bucket{") {
            guard let labels = Self.labels(of: line), let label = labels["route"],
                Self.matches(label.split(separator: "/"), wanted), let le = labels["le"],
                let count = line.split(separator: " ").last.flatMap({ Int($0) })
            else { continue }
            let bound = le == "+Inf" ? Double.infinity : Double(le) ?? .infinity
            // Several methods on one route: their buckets add up.
            if let index = buckets.firstIndex(where: { $0.bound == bound }) {
                buckets[index].count += count
            } else {
                buckets.append((bound, count))
            }
        }
        buckets.sort { $0.bound < $1.bound }
    }

    /// The counts of `self` minus an earlier reading of the same histogram.
    func subtracting(_ earlier: HandledTimes) -> HandledTimes {
        HandledTimes(
            buckets: buckets.map { bucket in
                (bucket.bound, bucket.count - (earlier.buckets.first { $0.bound == bucket.bound }?.count ?? 0))
            })
    }

    /// The smallest bucket bound (seconds) under which at least `quantile` of the requests finished; nil when
    /// only the open bucket holds them.
    func percentileBound(_ quantile: Double) -> Double? {
        let needed = Double(count) * quantile
        return buckets.first { Double($0.count) >= needed && $0.bound.isFinite }?.bound
    }

    private static func matches(_ label: [Substring], _ wanted: [Substring]) -> Bool {
        label.count == wanted.count
            && zip(label, wanted).allSatisfy { $0 == $1 || ($1.hasPrefix("{") && ($0.hasPrefix(":") || $0.hasPrefix("{"))) }
    }

    /// `name{a="1",b="2"} 3` → ["a": "1", "b": "2"] (label values here hold no quotes or commas).
    private static func labels(of line: Substring) -> [String: String]? {
        guard let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") else { return nil }
        var labels: [String: String] = [:]
        for pair in line[line.index(after: open)..<close].split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
        }
        return labels
    }
}
