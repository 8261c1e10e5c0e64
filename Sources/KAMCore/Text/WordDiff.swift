/// A word-by-word diff of two texts (the model's draft and the text a person approved), by the longest common
/// subsequence of their words and the spaces between them: runs of kept, removed and added text.
///
/// Quadratic in the tokens (words and spaces) of the two texts, so it refuses (nil) past `maxWords` tokens each: a
/// draft is a few hundred words.
public enum WordDiff {
    public enum Change: String, Sendable, Hashable, Codable {
        case same, removed, added
    }

    public struct Run: Sendable, Hashable, Codable {
        public var change: Change
        public var text: String
    }

    public static let maxWords = 3_000

    /// The runs turning `old` into `new`, or nil when either has more than `maxWords` tokens.
    public static func runs(from old: String, to new: String) -> [Run]? {
        let a = words(old)
        let b = words(new)
        guard a.count <= maxWords, b.count <= maxWords else { return nil }
        // lengths[i][j]: the LCS of a[i...] and b[j...]; words and spaces are tokens of their own.
        let n = a.count
        let m = b.count
        var lengths = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i * (m + 1) + j] =
                    a[i] == b[j]
                    ? lengths[(i + 1) * (m + 1) + j + 1] + 1
                    : max(lengths[(i + 1) * (m + 1) + j], lengths[i * (m + 1) + j + 1])
            }
        }
        var runs: [Run] = []
        func add(_ change: Change, _ text: Substring) {
            if let last = runs.last, last.change == change {
                runs[runs.count - 1].text += text
            } else {
                runs.append(Run(change: change, text: String(text)))
            }
        }
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                add(.same, b[j])
                i += 1
                j += 1
            } else if j < m, i == n || lengths[i * (m + 1) + j + 1] >= lengths[(i + 1) * (m + 1) + j] {
                add(.added, b[j])
                j += 1
            } else {
                add(.removed, a[i])
                i += 1
            }
        }
        return runs
    }

    /// The words and the runs of whitespace between them, in order.
    private static func words(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var index = text.startIndex
        while index < text.endIndex {
            let start = index
            let space = text[index].isWhitespace
            while index < text.endIndex, text[index].isWhitespace == space { index = text.index(after: index) }
            result.append(text[start..<index])
        }
        return result
    }
}
