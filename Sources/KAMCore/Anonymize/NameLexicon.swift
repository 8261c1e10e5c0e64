import Foundation

/// The word lists behind person and organization detection: first names, last names, and the
/// English words that tell a capitalized common word ("Please", "Transit") from a name.
///
/// The shipped lists (loaded by KAMResources' `NameLexicon.bundled()`) are built by `Resources/anonymize/build_lists.py` from US Census and Faker
/// name lists and the SCOWL English word list; `SOURCES.md` beside them names sources and licences.
public struct NameLexicon: Sendable {
    public let firstNames: Set<String>
    public let lastNames: Set<String>
    /// Lowercase English words; a name that is also a word ("rose", "hill") needs more evidence.
    public let englishWords: Set<String>
    /// Lowercase country names ("south africa"): places, never people, and the last line of many addresses.
    public let countries: Set<String>
    /// Every list above and the detectors' fixed word sets in one table: one look-up per word.
    let flagTable: [String: WordFlags]

    public init(firstNames: Set<String>, lastNames: Set<String>, englishWords: Set<String>, countries: Set<String> = []) {
        self.firstNames = firstNames
        self.lastNames = lastNames
        self.englishWords = englishWords
        self.countries = countries
        var table = WordFlags.fixed
        table.reserveCapacity(firstNames.count + lastNames.count + englishWords.count)
        for w in firstNames { table[w, default: []].insert(.firstName) }
        for w in lastNames { table[w, default: []].insert(.lastName) }
        for w in englishWords { table[w, default: []].insert(.english) }
        for w in countries { table[w, default: []].insert(.country) }
        flagTable = table
    }

    func flags(of word: String) -> WordFlags { flagTable[word] ?? [] }

    /// One word a line (UTF-8, `\n`-separated, blank lines ignored), as the shipped lists are written.
    public static func words(fromLines data: Data) -> Set<String> {
        var words = Set<String>()
        words.reserveCapacity(data.count / 8)
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            words.insert(String(decoding: line, as: UTF8.self))
        }
        return words
    }
}
