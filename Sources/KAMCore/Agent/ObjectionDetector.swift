/// Finds the objections the seeds name in what a client wrote — price, timing, authority — and mentions of
/// competitors (the configured names, and generic words such as "another vendor"). Phrases are matched on word
/// boundaries, case-insensitively, so a finding always quotes words the client really wrote.
///
/// For example:
///
///     let detector = ObjectionDetector(competitors: ["Globex CRM"])
///     detector.findings(in: "Honestly it is too expensive; Globex CRM quoted less.")
///     // [price "too expensive", competitor "Globex CRM"]
public struct ObjectionDetector: Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case price, timing, authority, competitor
    }

    /// One objection found: its kind and the words that show it.
    public struct Finding: Sendable, Hashable {
        public var kind: Kind
        public var phrase: String
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
}
