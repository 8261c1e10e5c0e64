/// Chooses among overlapping detections: structured finds, then known names, then the more certain kind
/// (checksummed and structured beat word-based guesses), then the longer span.
struct SpanResolver {
    func resolve(_ candidates: [PIIEntity]) -> [PIIEntity] {
        // A structured find (email, URL, IBAN, card, phone) beats a known name inside it ("j.riley@…"); otherwise
        // the store's names come first.
        func rank(_ e: PIIEntity) -> Int { e.type.priority >= PIIEntityType.phoneNumber.priority ? 2 : e.known ? 1 : 0 }
        let ordered = candidates.sorted { a, b in
            if rank(a) != rank(b) { return rank(a) > rank(b) }
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
