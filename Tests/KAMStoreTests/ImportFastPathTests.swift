import Foundation
import KAMCore
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

    /// Every text of up to `length` characters from `alphabet`.
    static func texts(_ alphabet: [String], upTo length: Int) -> [String] {
        var all = [""]
        var last = [""]
        for _ in 0..<length {
            last = last.flatMap { text in alphabet.map { text + $0 } }
            all += last
        }
        return all
    }

    @Test("a text that is already a slug comes back as the folding path makes it")
    func slugsOfSlugs() {
        // Hyphens leading, trailing and doubled, capitals, other separators: the fast path must take only true slugs.
        for text in Self.texts(["a", "z", "0", "9", "-", "A", "_", " "], upTo: 4) {
            for length in [1, 2, 3, 5, 48] {
                #expect(Slug.make(text, maxLength: length) == Slug.make(text + "\u{2019}", maxLength: length), "'\(text)' \(length)")
            }
        }
        #expect(Slug.make("company-12345") == "company-12345")
        #expect(Slug.make("-acme-") == "acme")
        #expect(Slug.make("acme--corp") == "acme-corp")
    }

    @Test("a value has text exactly when a scalar is neither a tab nor a space separator")
    func hasText() {
        for text in Self.texts([" ", "\t", "a", "\n", "\u{00A0}", "\u{2003}", "é", "\r\n"], upTo: 4) {
            let expected = text.unicodeScalars.contains { $0 != "\t" && $0.properties.generalCategory != .spaceSeparator }
            #expect(ImportWriter.hasText(text) == expected, "\(Array(text.unicodeScalars))")
        }
    }

    @Test("a host holds white space or an @ exactly as its characters say")
    func hostSpaces() {
        let alphabet = ["a", ".", "@", " ", "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{1F}", "\u{85}", "\u{00A0}", "\u{3000}", "é", "\r\n", "\u{301}"]
        for text in Self.texts(alphabet, upTo: 3) {
            let expected = text.contains { $0.isWhitespace || $0 == "@" }
            #expect(CompanyDomains.hasSpaceOrAt(text) == expected, "\(Array(text.unicodeScalars))")
        }
    }
}
