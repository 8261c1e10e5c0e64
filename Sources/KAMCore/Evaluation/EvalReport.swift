import Foundation

/// Everything a run produced, as written to `report.json` and read back by the other report formats.
public struct EvalReport: Codable, Sendable, Hashable {
    public var suite: String
    public var promptID: String
    public var runID: String
    public var createdAt: Date
    public var baseline: String
    public var candidate: String
    public var variants: [EvalVariantSummary]
    public var comparison: EvalComparison?
    public var gate: [EvalGateOutcome]
    public var gatePassed: Bool
    /// Case ids in dataset order.
    public var cases: [String]
    /// True when every case × variant × repeat has a result.
    public var complete: Bool
    public var results: [EvalResult]

    /// Builds the report of `results` for `suite`.
    public init(suite: EvalSuite, runID: String, createdAt: Date, caseIDs: [String], results: [EvalResult]) {
        self.suite = suite.name
        self.promptID = suite.promptID
        self.runID = runID
        self.createdAt = createdAt
        self.baseline = suite.baseline
        self.candidate = suite.candidate
        self.cases = caseIDs
        let ordered = Dictionary(uniqueKeysWithValues: caseIDs.enumerated().map { ($1, $0) })
        self.results = results.sorted {
            (ordered[$0.caseID] ?? .max, $0.variant, $0.repeatIndex) < (ordered[$1.caseID] ?? .max, $1.variant, $1.repeatIndex)
        }
        let names = suite.variants.map(\.name)
        let summaries = names.map { name in EvalVariantSummary(variant: name, results: results.filter { $0.variant == name }) }
        let comparison =
            suite.baseline != suite.candidate && names.contains(suite.baseline) && names.contains(suite.candidate)
            ? EvalComparison(baseline: suite.baseline, candidate: suite.candidate, results: results) : nil
        let byName = Dictionary(uniqueKeysWithValues: summaries.map { ($0.variant, $0) })
        let candidate = suite.candidate
        self.variants = summaries
        self.comparison = comparison
        self.gate = suite.gate.map { $0.check(summaries: byName, comparison: comparison, candidate: candidate) }
        complete = results.count == caseIDs.count * names.count * suite.repeats
        gatePassed = complete && gate.allSatisfy(\.passed)
    }

    public func summary(_ variant: String) -> EvalVariantSummary? { variants.first { $0.variant == variant } }

    /// `report.json`: sorted keys, ISO-8601 dates.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    public static func decode(_ data: Data) throws -> EvalReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(EvalReport.self, from: data)
    }
}
