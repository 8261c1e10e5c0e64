import Foundation

/// An evaluation suite (`Evaluations/<suite>.yaml`): which prompt, which variants to compare on which
/// cases, what every answer must satisfy, and the gate CI enforces.
///
/// A suite is data, so a team reviews a change to what "good" means like any other change.
public struct EvalSuite: Sendable, Hashable {
    /// The suite's name (`follow-up-email`); defaults to the file name.
    public var name: String
    /// The file it was read from, for messages and relative paths.
    public var file: String
    public var description: String
    /// The prompt every variant renders (`draft.follow-up-email`).
    public var promptID: String
    public var variants: [EvalVariant]
    /// The dataset (JSONL of cases), relative to the suite file.
    public var dataset: String
    /// A client import file (the `kam import` JSON format) loaded into a fresh store for fixture clients.
    public var fixtures: String?
    /// The day contexts are assembled for, so day counts (overdue, silent for N days) never drift.
    public var now: Date?
    public var assertions: [EvalAssertion]
    public var repeats: Int
    public var concurrency: Int
    /// The variant the candidate is compared against; defaults to the first.
    public var baseline: String
    /// The variant a gate is about; defaults to the second (or the only one).
    public var candidate: String
    public var gate: [EvalGateCondition]

    public init(
        name: String, file: String = "<suite>", description: String = "", promptID: String, variants: [EvalVariant],
        dataset: String, fixtures: String? = nil, now: Date? = nil, assertions: [EvalAssertion] = [], repeats: Int = 1,
        concurrency: Int = 4, baseline: String? = nil, candidate: String? = nil, gate: [EvalGateCondition] = []
    ) {
        self.name = name
        self.file = file
        self.description = description
        self.promptID = promptID
        self.variants = variants
        self.dataset = dataset
        self.fixtures = fixtures
        self.now = now
        self.assertions = assertions
        self.repeats = repeats
        self.concurrency = concurrency
        self.baseline = baseline ?? variants.first?.name ?? "baseline"
        self.candidate = candidate ?? (variants.count > 1 ? variants[1].name : variants.first?.name ?? "candidate")
        self.gate = gate
    }

    /// A path of the suite made absolute against the suite file's folder.
    public func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path)
    }
}

/// One side of a comparison: a prompt version (or label) with the model and provider that answer it.
public struct EvalVariant: Sendable, Hashable, Codable {
    public var name: String
    /// The prompt version: `2`, or a label resolved when the run starts.
    public var selector: Selector
    public var model: String?
    public var provider: String?
    /// Where the variant is written in the suite (`file:line`), for errors found later.
    public var location: String

    public enum Selector: Sendable, Hashable, Codable {
        case version(String)
        case label(String)
    }

    public init(name: String, selector: Selector, model: String? = nil, provider: String? = nil, location: String = "") {
        self.name = name
        self.selector = selector
        self.model = model
        self.provider = provider
        self.location = location
    }

    /// The reference for the registry: `id@2` or `id:candidate`.
    public func reference(promptID: String) -> PromptReference {
        switch selector {
        case .version(let version): PromptReference(promptID: promptID, selector: .version(version))
        case .label(let label): PromptReference(promptID: promptID, selector: .label(label))
        }
    }
}
