/// What one case gave for one variant and repeat: the answer, each assertion's outcome, and what it cost.
///
/// Stored as soon as it is known, so a stopped run resumes without losing or repeating a case.
public struct EvalResult: Codable, Sendable, Hashable {
    public var runID: String
    public var caseID: String
    public var variant: String
    public var repeatIndex: Int
    public var passed: Bool
    /// Weighted share of assertions passed, 0...1.
    public var score: Double
    public var assertions: [EvalAssertionOutcome]
    /// The answer text (the last one when it never validated).
    public var output: String?
    /// Why no valid answer came back (provider failure, schema never matched, a render error).
    public var error: String?
    /// True when the runtime refused the case without a model call (a client that withheld consent).
    public var refused: Bool
    public var promptVersion: String
    public var provider: String
    public var model: String
    public var attempts: Int
    public var inputTokens: Int
    public var outputTokens: Int
    /// nil when the model's price is unknown.
    public var costPicodollars: Int64?
    public var latencyMilliseconds: Double
    /// Counts an assertion reports (`action_items_tp`, `_fp`, `_fn`), summed over a variant.
    public var metrics: [String: Double]
    public var tags: [String]

    public init(
        runID: String, caseID: String, variant: String, repeatIndex: Int, passed: Bool, score: Double,
        assertions: [EvalAssertionOutcome], output: String?, error: String?, refused: Bool = false,
        promptVersion: String, provider: String, model: String, attempts: Int, inputTokens: Int, outputTokens: Int,
        costPicodollars: Int64?, latencyMilliseconds: Double, metrics: [String: Double] = [:], tags: [String] = []
    ) {
        self.runID = runID
        self.caseID = caseID
        self.variant = variant
        self.repeatIndex = repeatIndex
        self.passed = passed
        self.score = score
        self.assertions = assertions
        self.output = output
        self.error = error
        self.refused = refused
        self.promptVersion = promptVersion
        self.provider = provider
        self.model = model
        self.attempts = attempts
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.costPicodollars = costPicodollars
        self.latencyMilliseconds = latencyMilliseconds
        self.metrics = metrics
        self.tags = tags
    }

    public var key: EvalResultKey { EvalResultKey(caseID: caseID, variant: variant, repeatIndex: repeatIndex) }
}

/// The identity of a result within a run: a resumed run skips the keys already stored.
public struct EvalResultKey: Codable, Sendable, Hashable, Comparable {
    public var caseID: String
    public var variant: String
    public var repeatIndex: Int

    public init(caseID: String, variant: String, repeatIndex: Int) {
        self.caseID = caseID
        self.variant = variant
        self.repeatIndex = repeatIndex
    }

    public static func < (a: EvalResultKey, b: EvalResultKey) -> Bool {
        (a.caseID, a.variant, a.repeatIndex) < (b.caseID, b.variant, b.repeatIndex)
    }
}

/// One assertion's verdict on one answer.
public struct EvalAssertionOutcome: Codable, Sendable, Hashable {
    public var name: String
    public var passed: Bool
    public var weight: Double
    /// What was found: the value that differed, the leaked phrase, the judge's reason.
    public var detail: String

    public init(name: String, passed: Bool, weight: Double, detail: String = "") {
        self.name = name
        self.passed = passed
        self.weight = weight
        self.detail = detail
    }
}

/// Where results go as each one finishes (SQLite in `kam`, memory in tests).
public protocol EvalResultSink: Sendable {
    /// The keys already stored for a run, which a resumed run skips.
    func completedKeys(runID: String) async throws -> Set<EvalResultKey>
    /// Stores one result; called once per key.
    func record(_ result: EvalResult) async throws
}

/// Results kept in memory, for tests and benchmarks.
public actor InMemoryEvalResultSink: EvalResultSink {
    public private(set) var results: [EvalResult] = []
    /// How many times each key was recorded (a key recorded twice is a repeated case).
    public private(set) var recordCounts: [EvalResultKey: Int] = [:]

    public init() {}

    public func completedKeys(runID: String) -> Set<EvalResultKey> {
        Set(results.filter { $0.runID == runID }.map(\.key))
    }

    public func record(_ result: EvalResult) {
        results.append(result)
        recordCounts[result.key, default: 0] += 1
    }

    public func results(runID: String) -> [EvalResult] { results.filter { $0.runID == runID } }
}
