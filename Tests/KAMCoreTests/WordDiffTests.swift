import Foundation
import KAMCore
import Testing

@Suite struct WordDiffTests {
    /// Applying the runs gives back both texts: the kept and removed words the old one, the kept and added the new.
    @Test func theRunsRebuildBothTexts() throws {
        let cases = [
            ("Hi Jane, the inspection is in March.", "Hi Jane, the plant inspection is in early March. Best, Maria"),
            ("", "all new"), ("all old", ""), ("same words\nkept", "same words\nkept"),
            ("a b c d e f", "a x c y e z"),
        ]
        for (old, new) in cases {
            let runs = try #require(WordDiff.runs(from: old, to: new))
            #expect(runs.filter { $0.change != .added }.map(\.text).joined() == old, "\(old)")
            #expect(runs.filter { $0.change != .removed }.map(\.text).joined() == new, "\(new)")
            for (a, b) in zip(runs, runs.dropFirst()) { #expect(a.change != b.change) }
        }
        let runs = try #require(WordDiff.runs(from: "the inspection is in March", to: "the plant inspection is in March"))
        #expect(runs.map(\.change) == [.same, .added, .same])
        #expect(runs[1].text.trimmingCharacters(in: .whitespaces) == "plant")
    }

    @Test func textsPastTheLimitAreNotCompared() {
        let long = String(repeating: "word ", count: WordDiff.maxWords + 1)
        #expect(WordDiff.runs(from: long, to: "short") == nil)
    }
}
