import Foundation

/// What approved drafts saved the people who approved them: the time the approved text would have taken to write
/// by hand, at a writing speed, minus the review (the time from the draft's creation to its approval), never
/// below zero a draft.
///
/// For example, a 120-word approved email at 40 words a minute is 3 minutes of writing; approved 1 minute after it
/// was written, it saved 2 minutes. Approved the next morning, it saved nothing (the review took longer).
public struct TimeSaved: Codable, Sendable, Hashable {
    /// Words a minute when writing by hand, unless kam.yaml's `analytics: writing_words_per_minute` says otherwise.
    public static let defaultWordsPerMinute = 40.0

    /// Approved drafts counted.
    public var drafts = 0
    /// Words of their approved texts (subject, body, call to action).
    public var words = 0
    /// Minutes those words take to write by hand.
    public var writingMinutes = 0.0
    /// Minutes from creation to approval, summed.
    public var reviewMinutes = 0.0
    /// Minutes saved: each draft's writing minus its review, at least zero, summed.
    public var savedMinutes = 0.0

    public init() {}

    /// Adds one approved draft: `content` approved `review` seconds after it was written.
    public mutating func add(_ content: DraftContent, review: TimeInterval, wordsPerMinute: Double) {
        let count = Self.words(content)
        let writing = Double(count) / wordsPerMinute
        let reviewing = max(0, review) / 60
        drafts += 1
        words += count
        writingMinutes += writing
        reviewMinutes += reviewing
        savedMinutes += max(0, writing - reviewing)
    }

    /// Adds another group's figures (its drafts counted as they were).
    public static func += (lhs: inout TimeSaved, rhs: TimeSaved) {
        lhs.drafts += rhs.drafts
        lhs.words += rhs.words
        lhs.writingMinutes += rhs.writingMinutes
        lhs.reviewMinutes += rhs.reviewMinutes
        lhs.savedMinutes += rhs.savedMinutes
    }

    /// The words of what a person would have written: the subject and the message with its call to action.
    public static func words(_ content: DraftContent) -> Int {
        WordText.words(content.subject).count + WordText.words(content.plainText).count
    }

    enum CodingKeys: String, CodingKey {
        case drafts, words
        case writingMinutes = "writing_minutes"
        case reviewMinutes = "review_minutes"
        case savedMinutes = "saved_minutes"
    }
}
