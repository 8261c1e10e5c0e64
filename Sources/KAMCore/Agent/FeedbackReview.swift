import Foundation

/// Low-rated outputs grouped by the prompt version that wrote them, with how often each signal occurs and the
/// words people used most in their reasons: where a prompt goes wrong, at a glance.
///
/// For example:
///
///     let groups = FeedbackReview.group(outputs)
///     // [analysis.follow-up@3: 4 low (2 thumbs down, 1 rejected, 2 heavy edits); reasons: "formal" 3, "long" 2]
public enum FeedbackReview {
    /// A word of the reasons and how many reasons used it.
    public struct WordCount: Codable, Sendable, Hashable {
        public var word: String
        public var count: Int
    }

    /// The low-rated outputs of one prompt version, newest first.
    public struct Group: Codable, Sendable, Hashable {
        public var promptID: String
        public var promptVersion: String
        public var thumbsDown: Int
        public var rejected: Int
        public var heavyEdits: Int
        /// The most frequent words of the reasons (common English words left out), most frequent first.
        public var reasonWords: [WordCount]
        public var outputs: [LowRatedOutput]

        enum CodingKeys: String, CodingKey {
            case promptID = "prompt_id"
            case promptVersion = "prompt_version"
            case thumbsDown = "thumbs_down"
            case rejected
            case heavyEdits = "heavy_edits"
            case reasonWords = "reason_words"
            case outputs
        }
    }

    /// `outputs` grouped by prompt id, then version in numeric order; each group's outputs newest first and its
    /// `words` most frequent reason words (ties alphabetical).
    public static func group(_ outputs: [LowRatedOutput], words: Int = 8) -> [Group] {
        Dictionary(grouping: outputs) { [$0.promptID, $0.promptVersion] }
            .map { key, members in
                Group(
                    promptID: key[0], promptVersion: key[1],
                    thumbsDown: members.count { $0.signals.contains(.thumbsDown) },
                    rejected: members.count { $0.signals.contains(.rejected) },
                    heavyEdits: members.count { $0.signals.contains(.heavyEdit) },
                    reasonWords: frequentWords(members.flatMap(\.reasons), limit: words),
                    outputs: members.sorted { ($0.at, $0.draftID) > ($1.at, $1.draftID) })
            }
            .sorted { PromptVersionOrder.precedes(($0.promptID, $0.promptVersion), ($1.promptID, $1.promptVersion)) }
    }

    /// The `limit` words used by most of `reasons` (a word counts once a reason), without common English words,
    /// numbers or one-letter words.
    public static func frequentWords(_ reasons: [String], limit: Int) -> [WordCount] {
        var counts: [String: Int] = [:]
        for reason in reasons {
            for word in Set(WordText.words(reason)) where word.count > 1 && !commonWords.contains(word) {
                guard word.contains(where: \.isLetter) else { continue }
                counts[word, default: 0] += 1
            }
        }
        return counts.map { WordCount(word: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.word) < ($0.count, $1.word) }
            .prefix(limit).map { $0 }
    }

    /// Words that say nothing about what went wrong.
    static let commonWords: Set<String> = [
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been",
        "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "his",
        "how", "i", "i'm", "if", "in", "into", "is", "it", "it's", "its", "just", "me", "more", "my", "no", "not",
        "of", "on", "one", "or", "our", "out", "she", "so", "than", "that", "the", "their", "them", "then", "there",
        "they", "this", "to", "too", "up", "us", "was", "we", "were", "what", "when", "which", "who", "why", "will",
        "with", "would", "you", "your",
    ]
}
