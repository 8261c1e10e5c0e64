import Foundation

/// One row of the usage ledger: a model call, who it was for, what answered, and what it cost.
///
/// Written before the answer reaches the caller (`CallMeter`), for successes, failures and calls a
/// budget refused alike, so that spend can always be accounted for.
public struct ModelCallRecord: Sendable, Hashable, Codable, Identifiable {
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        /// A model (or the offline generator) answered.
        case success
        /// Every attempt failed.
        case failure
        /// A budget refused the call before it was sent.
        case refused
    }

    public var id: String
    public var time: Date
    public var userID: String?
    public var teamID: String?
    public var clientID: String?
    public var promptID: String?
    public var promptVersion: String?
    public var promptHash: String?
    /// The backend that answered (or was asked last).
    public var provider: String
    public var requestedModel: String
    /// The model that answered, as the provider reported it; `nil` when nothing answered.
    public var answeredModel: String?
    public var attempts: Int
    public var inputTokens: Int
    public var outputTokens: Int
    public var cachedInputTokens: Int
    public var cacheCreationInputTokens: Int
    /// The cost; `nil` means the price is unknown (never read as zero).
    public var cost: Money?
    public var latencyMilliseconds: Int
    public var outcome: Outcome
    public var errorCode: String?
    /// True when the offline generator answered: no model was involved.
    public var isOffline: Bool

    public init(
        id: String, time: Date, attribution: CallAttribution = CallAttribution(), promptVersion: String? = nil,
        promptHash: String? = nil, provider: String, requestedModel: String, answeredModel: String? = nil,
        attempts: Int = 1, usage: Usage = .zero, cost: CallCost = .known(.zero), latencyMilliseconds: Int = 0,
        outcome: Outcome = .success, errorCode: String? = nil, isOffline: Bool = false
    ) {
        self.id = id
        self.time = time
        self.userID = attribution.userID
        self.teamID = attribution.teamID
        self.clientID = attribution.clientID
        self.promptID = attribution.promptID
        self.promptVersion = promptVersion
        self.promptHash = promptHash
        self.provider = provider
        self.requestedModel = requestedModel
        self.answeredModel = answeredModel
        self.attempts = attempts
        self.inputTokens = usage.inputTokens
        self.outputTokens = usage.outputTokens
        self.cachedInputTokens = usage.cachedInputTokens
        self.cacheCreationInputTokens = usage.cacheCreationInputTokens
        self.cost = cost.money
        self.latencyMilliseconds = latencyMilliseconds
        self.outcome = outcome
        self.errorCode = errorCode
        self.isOffline = isOffline
    }

    public var attribution: CallAttribution {
        CallAttribution(userID: userID, teamID: teamID, clientID: clientID, promptID: promptID)
    }

    public var usage: Usage {
        Usage(
            inputTokens: inputTokens, outputTokens: outputTokens, cachedInputTokens: cachedInputTokens,
            cacheCreationInputTokens: cacheCreationInputTokens)
    }

    public var callCost: CallCost { cost.map(CallCost.known) ?? .unknown(model: answeredModel ?? requestedModel) }
}
