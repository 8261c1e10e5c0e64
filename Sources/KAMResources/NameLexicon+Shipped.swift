import Foundation
import KAMCore

extension NameLexicon {
    /// The shipped lists (`Resources/anonymize/*.txt`), loaded once per process.
    public static func bundled() throws(AnonymizerError) -> NameLexicon {
        try cachedShipped.get()
    }

    private static let cachedShipped: Result<NameLexicon, AnonymizerError> = Result { () throws(AnonymizerError) in
        try NameLexicon(
            firstNames: shippedList("first_names"), lastNames: shippedList("last_names"),
            englishWords: shippedList("english_words").union(shippedList("common_words")), countries: shippedList("countries"))
    }

    private static func shippedList(_ name: String) throws(AnonymizerError) -> Set<String> {
        guard let url = ShippedResources.url("anonymize/\(name).txt") else {
            throw AnonymizerError(
                code: .resourceMissing,
                message: "the anonymizer's word list \(name).txt is not in KAMResources' resource bundle "
                    + "(Sources/KAMResources/Resources/anonymize/); rebuild the package so the resources are copied",
                underlying: nil)
        }
        do {
            return words(fromLines: try Data(contentsOf: url))
        } catch {
            throw AnonymizerError(
                code: .resourceUnreadable, message: "could not read the anonymizer's word list \(url.path): \(error)",
                underlying: error)
        }
    }
}

extension Anonymizer {
    /// An anonymizer with the shipped word lists.
    ///
    /// - Throws: ``AnonymizerError`` when the lists are missing from the resource bundle.
    public init(configuration: AnonymizerConfiguration = .init(), known: KnownEntities = .init()) throws(AnonymizerError) {
        self.init(configuration: configuration, known: known, lexicon: try NameLexicon.bundled())
    }
}
