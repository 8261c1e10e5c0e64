/// Text as its lowercase words, for finding phrases on word boundaries: "pricing" is found in "our pricing page" but
/// "expensive" is not in "inexpensive" (a hyphen stays inside its word: "log-in" is not "log in"). Words are
/// letters, digits, apostrophes and hyphens; everything else separates them. What the support topics
/// (`TicketTopics`) and the objection finder (`ObjectionDetector`) both match against.
///
/// For example:
///
///     WordText("Honestly, it's TOO expensive.").contains("too expensive")   // true
struct WordText {
    /// The words, lowercased, joined by single spaces with a space at either end.
    private let padded: String

    init(_ text: String) {
        padded = " " + Self.words(text).joined(separator: " ") + " "
    }

    /// Whether `phrase`'s words appear here in a row (an empty phrase never does).
    func contains(_ phrase: String) -> Bool {
        let words = Self.words(phrase)
        return !words.isEmpty && padded.contains(" " + words.joined(separator: " ") + " ")
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "-") }.map(String.init)
    }
}
