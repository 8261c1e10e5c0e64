import Foundation

/// What an export did: written to `report.json` and summarised on the terminal.
public struct ExportReport: Sendable, Codable {
    /// An example that was not written, and why.
    public struct Rejected: Sendable, Hashable, Codable {
        public var draftID: String
        public var clientID: String
        public var reasons: [String]

        public init(draftID: String, clientID: String, reasons: [String]) {
            self.draftID = draftID
            self.clientID = clientID
            self.reasons = reasons
        }
    }

    /// A client whose drafts were left out because it did not consent to training use.
    public struct ConsentExclusion: Sendable, Hashable, Codable {
        public var clientID: String
        public var clientName: String
        public var drafts: Int

        public init(clientID: String, clientName: String, drafts: Int) {
            self.clientID = clientID
            self.clientName = clientName
            self.drafts = drafts
        }
    }

    /// The leak audit's verdict.
    public struct LeakAudit: Sendable, Hashable, Codable {
        public var passed: Bool
        /// How many known values (names, emails, phones) were searched for.
        public var needles: Int
        public var linesScanned: Int
        public var hits: [LeakAuditor.Hit]
    }

    /// A file written under its final name.
    public struct OutputFile: Sendable, Hashable, Codable {
        public var name: String
        public var lines: Int
        public var sha256: String

        public init(name: String, lines: Int, sha256: String) {
            self.name = name
            self.lines = lines
            self.sha256 = sha256
        }
    }

    public var format: ExportFormat
    public var model: String
    public var tokenizer: String
    public var tokenLimit: Int
    public var filters: ExportFilters
    public var keyID: String
    public var draftsRead: Int = 0
    public var examplesWritten: Int = 0
    public var trainExamples: Int = 0
    public var validationExamples: Int = 0
    /// Drafts that cannot make an example of this format (unedited drafts for preference pairs).
    public var notApplicable: Int = 0
    public var belowFeedback: Int = 0
    public var consentExcluded: [ConsentExclusion] = []
    /// The first ``maximumListedRejections`` rejected examples; ``rejectedCount`` counts them all.
    public var rejected: [Rejected] = []
    public var rejectedCount: Int = 0
    public static let maximumListedRejections = 1_000
    public var rejectedByCode: [String: Int] = [:]
    public var tokens: TokenStatistics = TokenStatistics(counts: [])
    /// Training tokens times the price, per epoch; nil when the model has no price.
    public var estimatedCostPerEpochUSD: Double?
    /// How the cost was estimated (the table has no training prices: the input price stands in).
    public var costBasis: String = ""
    public var leakAudit: LeakAudit = LeakAudit(passed: true, needles: 0, linesScanned: 0, hits: [])
    public var files: [OutputFile] = []
    /// True when the files were renamed to their final names.
    public var committed: Bool = false

    public init(format: ExportFormat, model: String, tokenizer: String, tokenLimit: Int, filters: ExportFilters, keyID: String) {
        self.format = format
        self.model = model
        self.tokenizer = tokenizer
        self.tokenLimit = tokenLimit
        self.filters = filters
        self.keyID = keyID
    }

    /// Counts a rejected example, listing it while the list is short.
    public mutating func reject(_ rejection: Rejected, codes: [String]) {
        rejectedCount += 1
        if rejected.count < Self.maximumListedRejections { rejected.append(rejection) }
        for code in codes { rejectedByCode[code, default: 0] += 1 }
    }

    /// A few lines for the terminal.
    public var summary: String {
        var lines: [String] = []
        lines.append("export \(format.rawValue) for \(model) (key id \(keyID)): \(draftsRead) approved drafts read, \(examplesWritten) examples (\(trainExamples) train, \(validationExamples) validation)")
        if !consentExcluded.isEmpty {
            let names = consentExcluded.map { "\($0.clientName) [\($0.clientID)]: \($0.drafts)" }.joined(separator: ", ")
            lines.append("left out, no training consent: \(consentExcluded.reduce(0) { $0 + $1.drafts }) drafts of \(consentExcluded.count) clients — \(names)")
        }
        if notApplicable > 0 { lines.append("not applicable to \(format.rawValue): \(notApplicable) drafts (e.g. approved without an edit)") }
        if belowFeedback > 0 { lines.append("below --min-feedback: \(belowFeedback) drafts") }
        lines.append("tokens per example: min \(tokens.min), mean \(String(format: "%.1f", tokens.mean)), p50 \(tokens.p50), p95 \(tokens.p95), max \(tokens.max); total \(tokens.total) (\(tokenizer), limit \(tokenLimit))")
        if let cost = estimatedCostPerEpochUSD {
            lines.append(String(format: "estimated training cost: $%.4f per epoch (%@)", cost, costBasis))
        } else {
            lines.append("estimated training cost: unknown (\(costBasis))")
        }
        if rejectedCount > 0 {
            let codes = rejectedByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("rejected: \(rejectedCount) examples (\(codes)); report.json lists them with reasons")
            for r in rejected.prefix(5) { lines.append("  draft \(r.draftID) [\(r.clientID)]: \(r.reasons.joined(separator: "; "))") }
        }
        if leakAudit.passed {
            lines.append("leak audit: passed (\(leakAudit.needles) known values searched in \(leakAudit.linesScanned) lines)")
        } else {
            lines.append("leak audit: FAILED, \(leakAudit.hits.count) hits; nothing was written under a final name")
            for h in leakAudit.hits.prefix(10) {
                lines.append("  \(h.file):\(h.line): \(h.kind.rawValue) of \(h.owner) (\(h.masked))")
            }
        }
        for f in files { lines.append("wrote \(f.name): \(f.lines) lines, sha256 \(f.sha256)") }
        return lines.joined(separator: "\n")
    }
}

/// Which approved drafts an export reads.
public struct ExportFilters: Sendable, Hashable, Codable {
    public var since: Date?
    public var promptID: String?
    /// Only drafts with a thumbs-up (and no thumbs-down) when `.up`.
    public var minimumFeedbackUp: Bool
    public var split: DatasetSplit

    public init(since: Date? = nil, promptID: String? = nil, minimumFeedbackUp: Bool = false, split: DatasetSplit = .init()) {
        self.since = since
        self.promptID = promptID
        self.minimumFeedbackUp = minimumFeedbackUp
        self.split = split
    }
}
