import Foundation
import Testing

@testable import KAMStore

/// The hand-written fast paths of the import print and slug exactly as the general code does.
@Suite("Import fast paths")
struct ImportFastPathTests {
    @Test("days and date-times print as String(format:) does, for every kind of year")
    func datesPrintAsFormatted() {
        var seconds: [Double] = [0, -1, 86_399.9, 1_767_225_600, -62_135_596_800, -62_198_755_200, 253_402_300_799, 1e12]
        for step in 0..<2_000 { seconds.append(Double(step) * 9_876_543.21 - 8e9) }
        for value in seconds {
            let date = Date(timeIntervalSince1970: value)
            let (year, month, day) = ImportDate.civil(fromDays: Int((value / 86_400).rounded(.down)))
            let expectedDay = String(format: "%04d-%02d-%02d", year, month, day)
            #expect(ImportDate.day(date) == expectedDay)
            let total = Int(value.rounded(.down))
            let rest = total - Int((Double(total) / 86_400).rounded(.down)) * 86_400
            #expect(ImportDate.dateTime(date) == expectedDay + String(format: "T%02d:%02d:%02dZ", rest / 3600, rest % 3600 / 60, rest % 60))
        }
    }

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
