/// Notices a runaway generation while it streams: the same piece of text (a line, a list item, a phrase)
/// emitted again and again at the end of the answer, or a window of recent words made mostly of word
/// sequences already seen in it.
///
/// Pure and incremental: feed it the answer's pieces as they arrive; `feed` returns a `Degeneration`
/// once the answer has become degenerate. Checks run every `checkEvery` characters, so the cost per
/// piece is small. The thresholds are conservative: an ordinary email, a JSON object with a list of
/// similar items, or a markdown rule line does not trip them.
public struct RepetitionDetector: Sendable {
    /// When an answer counts as degenerate.
    public struct Settings: Sendable, Hashable {
        /// The shortest and longest repeating unit looked for at the end of the text, in characters.
        public var minPeriod: Int
        public var maxPeriod: Int
        /// A unit must repeat at least this many times back to back...
        public var minRepeats: Int
        /// ...and its repeats must cover at least this many characters.
        public var minSpan: Int
        /// Word n-grams: the window of recent words, the n, and the share of repeated n-grams that trips it.
        public var windowWords: Int
        public var ngram: Int
        public var maxRepeatedShare: Double
        /// Characters between checks.
        public var checkEvery: Int

        public init(
            minPeriod: Int = 1, maxPeriod: Int = 200, minRepeats: Int = 4, minSpan: Int = 160, windowWords: Int = 120,
            ngram: Int = 4, maxRepeatedShare: Double = 0.6, checkEvery: Int = 16
        ) {
            self.minPeriod = minPeriod
            self.maxPeriod = maxPeriod
            self.minRepeats = minRepeats
            self.minSpan = minSpan
            self.windowWords = windowWords
            self.ngram = ngram
            self.maxRepeatedShare = maxRepeatedShare
            self.checkEvery = checkEvery
        }

        /// The thresholds KAM uses for every streamed and whole answer.
        public static let standard = Settings()
    }

    public var settings: Settings
    private var text: [Character] = []
    private var sinceCheck = 0

    public init(settings: Settings = .standard) {
        self.settings = settings
    }

    /// Adds a piece of the answer; returns what repeats once the answer is degenerate.
    public mutating func feed(_ piece: String) -> Degeneration? {
        text.append(contentsOf: piece)
        sinceCheck += piece.count
        guard sinceCheck >= settings.checkEvery else { return nil }
        sinceCheck = 0
        return check()
    }

    /// Checks a whole answer at once (a call that did not stream).
    public static func check(_ answer: String, settings: Settings = .standard) -> Degeneration? {
        var detector = RepetitionDetector(settings: settings)
        detector.text = Array(answer)
        return detector.check()
    }

    private func check() -> Degeneration? {
        periodicTail() ?? repeatedWords()
    }

    /// The shortest unit whose back-to-back repeats end the text and cover `minSpan` characters.
    private func periodicTail() -> Degeneration? {
        let count = text.count
        guard count >= settings.minSpan else { return nil }
        let longest = min(settings.maxPeriod, count / settings.minRepeats)
        guard longest >= settings.minPeriod else { return nil }
        for period in settings.minPeriod...longest {
            let needed = max(settings.minRepeats, (settings.minSpan + period - 1) / period)
            guard period * needed <= count else { continue }
            // Characters at the end equal to the one a period earlier: the repeats span `matching + period`.
            var matching = 0
            while matching + period < count, matching < 8192, text[count - 1 - matching] == text[count - 1 - matching - period] {
                matching += 1
            }
            let repeats = (matching + period) / period
            guard repeats >= needed else { continue }
            let unit = String(text[(count - period)..<count])
            // Whitespace alone (a grammar's runaway indentation) needs twice the span.
            guard unit.contains(where: { !$0.isWhitespace }) || period * repeats >= settings.minSpan * 2 else { continue }
            return Degeneration(kind: .repeatedText, repeated: unit, times: repeats, share: nil)
        }
        return nil
    }

    /// The share of repeated word n-grams over the last `windowWords` words.
    private func repeatedWords() -> Degeneration? {
        var words: [Substring] = []
        let tail = String(text.suffix(settings.windowWords * 12))
        for word in tail.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).suffix(settings.windowWords) { words.append(word) }
        guard words.count >= settings.windowWords, words.count >= settings.ngram else { return nil }
        var seen: [String: Int] = [:]
        var repeated = 0
        let total = words.count - settings.ngram + 1
        for start in 0..<total {
            let gram = words[start..<(start + settings.ngram)].joined(separator: " ").lowercased()
            if seen[gram, default: 0] > 0 { repeated += 1 }
            seen[gram, default: 0] += 1
        }
        let share = Double(repeated) / Double(total)
        guard share >= settings.maxRepeatedShare, let top = seen.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) else { return nil }
        return Degeneration(kind: .repeatedPhrases, repeated: top.key, times: top.value, share: share)
    }
}
