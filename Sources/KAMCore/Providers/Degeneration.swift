import Foundation

/// What made an answer degenerate: the text that repeated and how often (`RepetitionDetector`).
public struct Degeneration: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The same piece of text back to back at the end of the answer.
        case repeatedText = "repeated-text"
        /// Most word sequences of the recent words had already appeared among them.
        case repeatedPhrases = "repeated-phrases"
    }

    public var kind: Kind
    /// The unit that repeated (the most frequent word n-gram for `repeatedPhrases`).
    public var repeated: String
    public var times: Int
    /// The share of repeated n-grams in the window, for `repeatedPhrases`.
    public var share: Double?

    public init(kind: Kind, repeated: String, times: Int, share: Double?) {
        self.kind = kind
        self.repeated = repeated
        self.times = times
        self.share = share
    }

    /// The repeated text, on one line and at most 80 characters.
    public var excerpt: String {
        let flat = repeated.replacingOccurrences(of: "\n", with: "\\n")
        return flat.count > 80 ? String(flat.prefix(77)) + "..." : flat
    }

    public var description: String {
        switch kind {
        case .repeatedText: "\"\(excerpt)\" repeated \(times) times in a row"
        case .repeatedPhrases:
            "\(Int(((share ?? 0) * 100).rounded())) % of the last words' 4-word sequences were repeats (\"\(excerpt)\" \(times) times)"
        }
    }
}
