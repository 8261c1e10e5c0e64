import Crypto
import Foundation

/// An online A/B experiment on a prompt: drafts for each client use that client's sticky variant,
/// and what people do with the drafts is tallied per variant.
public struct Experiment: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case running, stopped, promoted
    }

    public var id: String
    public var promptID: String
    /// Variant names as given (`1`, `2`, `production`, `candidate`): each a version or a label of the prompt.
    public var variants: [String]
    /// Percent of clients per variant, summing to 100.
    public var split: [Int]
    public var status: Status
    public var startedAt: Date
    public var stoppedAt: Date?
    /// The variant promoted when the experiment ended.
    public var winner: String?

    public init(
        id: String, promptID: String, variants: [String], split: [Int], status: Status = .running, startedAt: Date,
        stoppedAt: Date? = nil, winner: String? = nil
    ) {
        self.id = id
        self.promptID = promptID
        self.variants = variants
        self.split = split
        self.status = status
        self.startedAt = startedAt
        self.stoppedAt = stoppedAt
        self.winner = winner
    }

    /// The client's variant: a hash of experiment id and client id placed on the split, so a client
    /// always sees the same variant and clients spread by the split's shares.
    public func variant(forClient clientID: String) -> String {
        let digest = SHA256.hash(data: Data("\(id)\u{0}\(clientID)".utf8))
        let value = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let total = max(1, split.reduce(0, +))
        let bucket = Int(value % UInt64(total))
        var upper = 0
        for (index, share) in split.enumerated() {
            upper += share
            if bucket < upper { return variants[index] }
        }
        return variants[variants.count - 1]
    }

    /// The reference a variant name stands for: a version number or a label of the prompt.
    public func reference(for variant: String) -> PromptReference {
        variant.allSatisfy(\.isNumber)
            ? PromptReference(promptID: promptID, selector: .version(variant))
            : PromptReference(promptID: promptID, selector: .label(variant))
    }

    /// Parses `--variants A,B --split 50/50`; the message says what is wrong.
    public static func parse(variants: String, split: String?) -> Result<(variants: [String], split: [Int]), ExperimentError> {
        let names = variants.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard names.count >= 2, Set(names).count == names.count else {
            return .failure(ExperimentError(code: .invalid, message: "--variants needs at least two different versions or labels, e.g. --variants 1,2"))
        }
        guard let split else { return .success((names, Self.evenSplit(names.count))) }
        let shares = split.split(separator: "/").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard shares.count == names.count, shares.allSatisfy({ ($0 ?? -1) >= 0 }) else {
            return .failure(ExperimentError(code: .invalid, message: "--split '\(split)' needs one whole percentage per variant (\(names.count)), e.g. \(evenSplit(names.count).map(String.init).joined(separator: "/"))"))
        }
        let values = shares.map { $0! }
        guard values.reduce(0, +) == 100 else {
            return .failure(ExperimentError(code: .invalid, message: "--split '\(split)' adds up to \(values.reduce(0, +)); the shares must add up to 100"))
        }
        return .success((names, values))
    }

    static func evenSplit(_ count: Int) -> [Int] {
        (0..<count).map { 100 / count + ($0 < 100 % count ? 1 : 0) }
    }
}

/// An experiment that cannot be started, found or changed.
public struct ExperimentError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case invalid = "experiment.invalid"
        case notFound = "experiment.not-found"
        case alreadyExists = "experiment.exists"
        case notRunning = "experiment.not-running"
        case conflict = "experiment.conflict"
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error & Sendable)?

    public init(code: Code, message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}

/// What happened to one draft of an experiment.
public struct ExperimentDraftOutcome: Sendable, Hashable {
    public enum Decision: String, Sendable, Hashable {
        case pending, approvedUnedited = "approved-unedited", approvedEdited = "approved-edited", rejected
    }

    public var variant: String
    public var clientID: String
    public var decision: Decision
    public var editDistance: Int?
    /// Thumbs up (+1) and down (-1) from feedback.
    public var thumbsUp: Int
    public var thumbsDown: Int

    public init(variant: String, clientID: String, decision: Decision, editDistance: Int? = nil, thumbsUp: Int = 0, thumbsDown: Int = 0) {
        self.variant = variant
        self.clientID = clientID
        self.decision = decision
        self.editDistance = editDistance
        self.thumbsUp = thumbsUp
        self.thumbsDown = thumbsDown
    }
}

/// Outcomes per variant with the same statistics as offline evaluations: acceptance (approved without
/// edits) with a Wilson interval, and between the first two variants the difference, a two-proportion
/// test, and how many decided drafts per variant would detect it.
public struct ExperimentTally: Codable, Sendable, Hashable {
    public struct Variant: Codable, Sendable, Hashable {
        public var variant: String
        public var drafts: Int
        public var pending: Int
        public var approvedUnedited: Int
        public var approvedEdited: Int
        public var rejected: Int
        public var meanEditDistance: Double?
        public var thumbsUp: Int
        public var thumbsDown: Int
        public var clients: Int
        /// Approved unedited over decided drafts.
        public var acceptance: Double
        public var acceptanceLow: Double
        public var acceptanceHigh: Double
        public var decided: Int { approvedUnedited + approvedEdited + rejected }
    }

    public var variants: [Variant]
    public var acceptanceDifference: Double?
    public var pValue: Double?
    public var draftsNeededPerVariant: Int?

    public init(variants names: [String], outcomes: [ExperimentDraftOutcome]) {
        variants = names.map { name in
            let mine = outcomes.filter { $0.variant == name }
            let unedited = mine.filter { $0.decision == .approvedUnedited }.count
            let edited = mine.filter { $0.decision == .approvedEdited }.count
            let rejected = mine.filter { $0.decision == .rejected }.count
            let decided = unedited + edited + rejected
            let distances = mine.compactMap { $0.decision == .approvedEdited ? $0.editDistance : nil }
            let (low, high) = Statistics.wilson(successes: unedited, trials: decided)
            return Variant(
                variant: name, drafts: mine.count, pending: mine.filter { $0.decision == .pending }.count,
                approvedUnedited: unedited, approvedEdited: edited, rejected: rejected,
                meanEditDistance: distances.isEmpty ? nil : Double(distances.reduce(0, +)) / Double(distances.count),
                thumbsUp: mine.reduce(0) { $0 + $1.thumbsUp }, thumbsDown: mine.reduce(0) { $0 + $1.thumbsDown },
                clients: Set(mine.map(\.clientID)).count, acceptance: decided == 0 ? 0 : Double(unedited) / Double(decided),
                acceptanceLow: low, acceptanceHigh: high)
        }
        if variants.count >= 2, variants[0].decided > 0, variants[1].decided > 0 {
            let a = variants[0]
            let b = variants[1]
            acceptanceDifference = b.acceptance - a.acceptance
            pValue = Statistics.twoProportionPValue(a.approvedUnedited, a.decided, b.approvedUnedited, b.decided)
            draftsNeededPerVariant = Statistics.samplesPerGroup(p1: a.acceptance, p2: b.acceptance)
        }
    }
}
