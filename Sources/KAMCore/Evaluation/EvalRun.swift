import Foundation

/// A stored evaluation run (`EvalRunRepository.Run` in KAMStore): its suite, what it compared, where it stands
/// (`running`, `complete`, `interrupted`) and, once complete, its report and gate.
public struct EvalRun: Sendable, Hashable {
    public var id: String
    public var suite: String
    public var suiteFile: String
    public var promptID: String
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: String
    public var gatePassed: Bool?
    public var variants: [EvalVariantRecord]
    public var report: EvalReport?

    public init(
        id: String, suite: String, suiteFile: String, promptID: String, startedAt: Date, finishedAt: Date?,
        status: String, gatePassed: Bool?, variants: [EvalVariantRecord], report: EvalReport?
    ) {
        self.id = id
        self.suite = suite
        self.suiteFile = suiteFile
        self.promptID = promptID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.gatePassed = gatePassed
        self.variants = variants
        self.report = report
    }
}
