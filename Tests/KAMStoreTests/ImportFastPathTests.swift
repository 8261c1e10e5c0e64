import Foundation
import Testing

@testable import KAMStore

/// The hand-written fast paths of the import slug exactly as the general code does (its dates: `UTCTimestampTests`).
@Suite("Import fast paths")
struct ImportFastPathTests {
    @Test("an ASCII slug is the slug the folding path makes of the same text")
    func asciiSlugsMatchFolding() {
        // U+2019 is skipped inside words by both paths, and sends the text down the folding path.
        let words = ["Acme", "corp.", "CLIENT'S", "x", "", "--", "42", "Had a call.", "a_b-c", "  ", "Zz9", "'", "0"]
        for length in [1, 3, 8, 40, 48] {
            for first in words {
                for second in words {
                    for third in ["", " ", "Follow up with Person 12345 of a very long company name indeed"] {
                        let text = first + " " + second + "," + third
                        #expect(Slug.make(text, maxLength: length) == Slug.make(text + "\u{2019}", maxLength: length), "\(text)")
                    }
                }
            }
        }
        #expect(Slug.make("Acme Corp.") == "acme-corp")
    }
}
