/// Levenshtein distance over Unicode scalars: how much a person changed the model's draft.
///
/// Two rows of the dynamic-programming table are enough; drafts are a few hundred words, so the
/// quadratic time is a few milliseconds at worst and runs once per approval.
public enum EditDistance {
    public static func levenshtein(_ a: String, _ b: String) -> Int {
        let s = Array(a.unicodeScalars)
        let t = Array(b.unicodeScalars)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for i in 1...s.count {
            current[0] = i
            for j in 1...t.count {
                let substitution = previous[j - 1] + (s[i - 1] == t[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
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
