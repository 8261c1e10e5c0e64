import Foundation
import KAMCore

/// The API's snake_case member names: Foundation's `.convertToSnakeCase`, except that an acronym's plural stays one
/// word. Foundation ends a run of capitals at the one before a lower-case letter, so `clickedURLs` became
/// `clicked_ur_ls` and `taskIDs` `task_i_ds`; here they are `clicked_urls` and `task_ids`, and every other key is
/// what Foundation makes of it (`SnakeCaseKeyTests` compares the two). Every response of domain types uses it
/// (`JSONEncoder.KeyEncodingStrategy.snakeCase`), so a new field never needs a coding key of its own for this.
enum SnakeCaseKey {
    /// `key` in snake_case.
    static func convert(_ key: String) -> String {
        foundationSnakeCase(foldingPluralAcronyms(key))
    }

    /// `URLs` → `Urls` where a run of two or more capitals is followed by an `s` that ends the word (the key's end, a
    /// capital or anything not a letter), so the run and its `s` are one word below.
    static func foldingPluralAcronyms(_ key: String) -> String {
        let characters = Array(key)
        var folded = characters
        var start = 0
        while start < characters.count {
            guard characters[start].isUppercase else {
                start += 1
                continue
            }
            var end = start
            while end < characters.count, characters[end].isUppercase { end += 1 }
            let pluralEndsWord = end + 1 == characters.count || (end + 1 < characters.count && !characters[end + 1].isLowercase)
            if end - start >= 2, end < characters.count, characters[end] == "s", pluralEndsWord {
                for index in (start + 1)..<end { folded[index] = Character(characters[index].lowercased()) }
            }
            start = end
        }
        return String(folded)
    }

    /// Foundation's `JSONEncoder.KeyEncodingStrategy._convertToSnakeCase`, as swift-foundation writes it: words
    /// start at a capital; a run of capitals is one word, but for its last capital when a lower-case letter follows.
    static func foundationSnakeCase(_ key: String) -> String {
        guard !key.isEmpty else { return key }
        var words: [Range<String.Index>] = []
        var wordStart = key.startIndex
        var searchRange = key.index(after: wordStart)..<key.endIndex
        while let upperCaseRange = key.rangeOfCharacter(from: .uppercaseLetters, options: [], range: searchRange) {
            words.append(wordStart..<upperCaseRange.lowerBound)
            searchRange = upperCaseRange.lowerBound..<searchRange.upperBound
            guard let lowerCaseRange = key.rangeOfCharacter(from: .lowercaseLetters, options: [], range: searchRange) else {
                wordStart = searchRange.lowerBound
                break
            }
            let nextCharacterAfterCapital = key.index(after: upperCaseRange.lowerBound)
            if lowerCaseRange.lowerBound == nextCharacterAfterCapital {
                wordStart = upperCaseRange.lowerBound
            } else {
                let beforeLowerIndex = key.index(before: lowerCaseRange.lowerBound)
                words.append(upperCaseRange.lowerBound..<beforeLowerIndex)
                wordStart = beforeLowerIndex
            }
            searchRange = lowerCaseRange.upperBound..<searchRange.upperBound
        }
        words.append(wordStart..<searchRange.upperBound)
        return words.map { key[$0].lowercased() }.joined(separator: "_")
    }
}

extension JSONEncoder.KeyEncodingStrategy {
    /// The API's snake_case (`SnakeCaseKey`): `.convertToSnakeCase` with acronym plurals kept whole.
    static let snakeCase = JSONEncoder.KeyEncodingStrategy.custom { path in
        guard let key = path.last else { return IndexKey(stringValue: "") }
        if key.intValue != nil { return key }
        return IndexKey(stringValue: SnakeCaseKey.convert(key.stringValue))
    }
}
