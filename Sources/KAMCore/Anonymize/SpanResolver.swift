/// Chooses among overlapping detections: known names first, then the more certain kind
/// (checksummed and structured beat word-based guesses), then the longer span.
struct SpanResolver {
    func resolve(_ candidates: [PIIEntity]) -> [PIIEntity] {
        let ordered = candidates.sorted { a, b in
            if a.known != b.known { return a.known }
            if a.type.priority != b.type.priority { return a.type.priority > b.type.priority }
            if a.end - a.start != b.end - b.start { return a.end - a.start > b.end - b.start }
            return a.start < b.start
        }
        var accepted: [PIIEntity] = []
        accepted.reserveCapacity(ordered.count)
        for c in ordered where !accepted.contains(where: { $0.start < c.end && c.start < $0.end }) {
            accepted.append(c)
        }
        return accepted.sorted { $0.start < $1.start }
    }
}
