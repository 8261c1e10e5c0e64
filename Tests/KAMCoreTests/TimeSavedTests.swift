import Foundation
import Testing

@testable import KAMCore

@Suite struct TimeSavedTests {
    /// `count` words of body text, no subject.
    static func content(words count: Int) -> DraftContent {
        DraftContent(subject: "", body: Array(repeating: "word", count: count).joined(separator: " "))
    }

    @Test("writing time at the speed, minus the review, never below zero a draft; words of subject, body and call to action")
    func savedIsWritingMinusReview() {
        var saved = TimeSaved()
        // 120 words at 40 a minute: 3 minutes of writing; approved after 1 minute: 2 saved.
        saved.add(Self.content(words: 120), review: 60, wordsPerMinute: 40)
        #expect(saved.drafts == 1 && saved.words == 120)
        #expect(saved.writingMinutes == 3 && saved.reviewMinutes == 1 && saved.savedMinutes == 2)
        // Approved the next morning: nothing saved, and the long review does not eat the first draft's savings.
        saved.add(Self.content(words: 40), review: 12 * 3600, wordsPerMinute: 40)
        #expect(saved.drafts == 2 && saved.savedMinutes == 2)
        // A review time below zero (a clock that moved back) counts as none.
        var skewed = TimeSaved()
        skewed.add(Self.content(words: 80), review: -30, wordsPerMinute: 40)
        #expect(skewed.reviewMinutes == 0 && skewed.savedMinutes == 2)
        let whole = DraftContent(subject: "Renewal quote", body: "Hi Jane, here it is.", callToAction: "Reply by Friday")
        #expect(TimeSaved.words(whole) == 2 + 5 + 3)
    }

    @Test("kam.yaml's analytics: writing_words_per_minute is read, and one below 1 is refused with its line")
    func configuredSpeed() throws {
        let configuration = try KAMConfiguration.parse("analytics:\n  writing_words_per_minute: 55\n", file: "kam.yaml")
        #expect(configuration.analytics.writingWordsPerMinute == 55)
        #expect(KAMConfiguration.embeddedDefaults.analytics.writingWordsPerMinute == TimeSaved.defaultWordsPerMinute)
        let error = try #require(throws: ConfigurationError.self) {
            try KAMConfiguration.parse("analytics:\n  writing_words_per_minute: 0\n", file: "kam.yaml")
        }
        #expect(error.issues.map(\.description).contains { $0.hasPrefix("kam.yaml:2:29: analytics.writing_words_per_minute") })
    }
}
