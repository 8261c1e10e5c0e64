import Foundation

/// A sales opportunity with a client, and the stages it went through.
public struct Deal: Codable, Sendable, Hashable {
    public var id: Int64?
    public var clientID: String
    public var externalID: String?
    public var name: String
    public var stage: DealStage
    public var amount: Double
    public var currency: String
    public var closeDate: Date?
    /// 0...1
    public var probability: Double
    /// When the deal entered its current stage.
    public var stageEnteredAt: Date
    public var history: [DealStageChange]

    public init(
        id: Int64? = nil, clientID: String, externalID: String? = nil, name: String, stage: DealStage,
        amount: Double, currency: String = "USD", closeDate: Date? = nil, probability: Double = 0.5,
        stageEnteredAt: Date, history: [DealStageChange] = []
    ) {
        self.id = id
        self.clientID = clientID
        self.externalID = externalID
        self.name = name
        self.stage = stage
        self.amount = amount
        self.currency = currency
        self.closeDate = closeDate
        self.probability = probability
        self.stageEnteredAt = stageEnteredAt
        self.history = history
    }

    /// Whole days the deal has been in its current stage at `now`.
    public func daysInStage(at now: Date) -> Int {
        Self.daysInStage(enteredAt: stageEnteredAt, at: now)
    }

    /// Whole days since a stage was entered at `enteredAt`, at `now` (0 for a start in the future).
    public static func daysInStage(enteredAt: Date, at now: Date) -> Int {
        max(0, Int(now.timeIntervalSince(enteredAt) / 86_400))
    }
}

/// One entry of a deal's stage history.
public struct DealStageChange: Codable, Sendable, Hashable {
    public var stage: DealStage
    public var enteredAt: Date
    /// The user who moved the deal into the stage; nil for imported history and anonymous runs.
    public var by: String?

    public init(stage: DealStage, enteredAt: Date, by: String? = nil) {
        self.stage = stage
        self.enteredAt = enteredAt
        self.by = by
    }
}
