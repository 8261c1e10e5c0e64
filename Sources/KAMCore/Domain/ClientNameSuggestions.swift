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
                    let distance = EditDistance.levenshtein(Array(needle), Array(candidate), limit: maxDistance)
                    if distance <= maxDistance { best = min(best, 1 + distance) }
                }
            }
            if best != Int.max { scored.append((best, id)) }
        }
        return scored.sorted { ($0.score, $0.id) < ($1.score, $1.id) }.prefix(limit).map(\.id)
    }
}
