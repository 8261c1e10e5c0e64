/// The clients a CLIENT argument that matched nothing may have meant: ids or names close to it.
///
/// Pure, so that every store suggests the same clients (`ClientMemoryReading.resolveClient`'s `.notFound`): the store
/// reads every client's id and name, this ranks them.
public enum ClientNameSuggestions {
    /// The ids of at most `limit` clients whose id or name is close to `query`, best first: a prefix either way
    /// (score 0), a containing word (1), or a few edits away (1 + the distance, at most a third of the query, at
    /// least 2); ties by id.
    public static func best(for query: String, among clients: [(id: String, name: String)], limit: Int = 5) -> [String] {
        let needle = query.lowercased()
        let maxDistance = max(2, needle.count / 3)
        var scored: [(score: Int, id: String)] = []
        for (id, rawName) in clients {
            let name = rawName.lowercased()
            var best = Int.max
            for candidate in [id, name] {
                if candidate.hasPrefix(needle) || needle.hasPrefix(candidate) {
                    best = min(best, 0)
                } else if candidate.contains(needle) {
                    best = min(best, 1)
                } else {
                    let distance = levenshtein(needle, candidate, limit: maxDistance)
                    if distance <= maxDistance { best = min(best, 1 + distance) }
                }
            }
            if best != Int.max { scored.append((best, id)) }
        }
        return scored.sorted { ($0.score, $0.id) < ($1.score, $1.id) }.prefix(limit).map(\.id)
    }

    /// Levenshtein distance over characters, giving up (returning `limit + 1`) once it exceeds `limit`.
    static func levenshtein(_ a: String, _ b: String, limit: Int) -> Int {
        let s = Array(a), t = Array(b)
        if abs(s.count - t.count) > limit { return limit + 1 }
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for i in 1...s.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...t.count {
                current[j] = min(previous[j - 1] + (s[i - 1] == t[j - 1] ? 0 : 1), previous[j] + 1, current[j - 1] + 1)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[t.count]
    }
}
