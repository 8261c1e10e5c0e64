/// Levenshtein distance over Unicode scalars: how much a person changed the model's draft.
///
/// Two rows of the dynamic-programming table are enough; drafts are a few hundred words, so the
/// quadratic time is a few milliseconds at worst and runs once per approval.
public enum EditDistance {
    public static func levenshtein(_ a: String, _ b: String) -> Int {
        levenshtein(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    /// The distance between two sequences; with a `limit`, gives up once the distance exceeds it and returns
    /// `limit + 1` (what ranking close names needs: only small distances matter).
    public static func levenshtein<Element: Equatable>(_ s: [Element], _ t: [Element], limit: Int? = nil) -> Int {
        if let limit, abs(s.count - t.count) > limit { return limit + 1 }
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for i in 1...s.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...t.count {
                let substitution = previous[j - 1] + (s[i - 1] == t[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
                rowMinimum = min(rowMinimum, current[j])
            }
            if let limit, rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[t.count]
    }

    /// Distance divided by the longer length: 0 means unchanged, 1 means rewritten.
    public static func normalized(_ a: String, _ b: String) -> Double {
        let longest = max(a.unicodeScalars.count, b.unicodeScalars.count)
        return longest == 0 ? 0 : Double(levenshtein(a, b)) / Double(longest)
    }
}
