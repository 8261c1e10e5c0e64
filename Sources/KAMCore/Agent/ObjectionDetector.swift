/// Finds the objections the seeds name in what a client wrote — price, timing, authority — and mentions of
/// competitors (the configured names, and generic words such as "another vendor"). Phrases are matched on word
/// boundaries, case-insensitively, so a finding always quotes words the client really wrote. `merged` adds what the
/// analysis prompt read in the same text (`InboundEmailAnalysis.findings`), each finding keeping its sources.
///
/// For example:
///
///     let detector = ObjectionDetector(competitors: ["Globex CRM"])
///     detector.findings(in: "Honestly it is too expensive; Globex CRM quoted less.")
///     // [price "too expensive" (phrase list), competitor "Globex CRM" (phrase list)]
public struct ObjectionDetector: Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case price, timing, authority, competitor
    }

    /// Where a finding came from.
    public enum Source: String, Codable, Sendable, CaseIterable {
        /// The phrase lists above and the configured competitors.
        case phraseList = "phrase-list"
        /// The analysis prompt's output (`analysis.inbound-email`'s `objections` and `competitors`).
        case model
    }

    /// One objection found: its kind, the words that show it, and who found it.
    public struct Finding: Codable, Sendable, Hashable {
        public var kind: Kind
        public var phrase: String
        /// Both when the phrase list and the model found the same words; in `Source` order.
        public var sources: [Source]

        public init(kind: Kind, phrase: String, sources: [Source] = [.phraseList]) {
            self.kind = kind
            self.phrase = phrase
            self.sources = sources
        }
    }

    /// Competitors' names, as the team wrote them (`rules.competitors` in kam.yaml).
    public var competitors: [String]

    public init(competitors: [String] = []) {
        self.competitors = competitors
    }

    static let phrases: [(Kind, [String])] = [
        (.price, [
            "too expensive", "expensive", "over budget", "over our budget", "beyond our budget", "out of our budget",
            "cheaper", "lower price", "price is too high", "pricing is too high", "can't afford", "cannot afford",
            "costs too much", "cost too much", "too costly", "discount",
        ]),
        (.timing, [
            "not the right time", "not a priority", "next quarter", "next year", "postpone", "put on hold", "on hold",
            "revisit later", "later this year", "bad timing", "not now", "after the summer",
        ]),
        (.authority, [
            "need approval", "needs approval", "sign-off", "sign off", "my manager", "my boss", "the board",
            "not my decision", "procurement", "check with our", "run it by",
        ]),
        (.competitor, [
            "another vendor", "other vendor", "other vendors", "a competitor", "competitor", "competitors",
            "alternative supplier", "switching to", "switch to", "cheaper alternative",
        ]),
    ]

    /// The objections in `text`, one finding a kind (its first phrase in the lists' order; a configured competitor
    /// before the generic words), in the order of `Kind`.
    public func findings(in text: String) -> [Finding] {
        let words = WordText(text)
        var findings: [Finding] = []
        for (kind, list) in Self.phrases {
            let candidates = kind == .competitor ? competitors + list : list
            if let phrase = candidates.first(where: words.contains) { findings.append(Finding(kind: kind, phrase: phrase)) }
        }
        return findings
    }

    /// The phrase list's findings in `text` and the model's, merged: the model's only when `text` holds its words
    /// (a model may not put words in a client's mouth), one finding for the same kind and words found by both with
    /// both sources; in the order of `Kind`, the phrase list's first within a kind.
    public func findings(in text: String, model: [Finding]) -> [Finding] {
        let words = WordText(text)
        var merged = findings(in: text)
        for finding in model where words.contains(finding.phrase) {
            if let same = merged.firstIndex(where: {
                $0.kind == finding.kind && WordText.words($0.phrase) == WordText.words(finding.phrase)
            }) {
                merged[same].sources = Source.allCases.filter { merged[same].sources.contains($0) || finding.sources.contains($0) }
            } else if !merged.contains(where: { $0.kind == finding.kind && WordText.words($0.phrase) == WordText.words(finding.phrase) }) {
                merged.append(finding)
            }
        }
        let order = Kind.allCases
        return merged.enumerated().sorted {
            (order.firstIndex(of: $0.element.kind)!, $0.offset) < (order.firstIndex(of: $1.element.kind)!, $1.offset)
        }.map(\.element)
    }
}
