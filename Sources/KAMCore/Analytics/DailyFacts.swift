import Foundation

/// What the store held and what happened during one day, read as small facts with the owner of each record's client:
/// everything `SnapshotCalculator` needs to make the day's snapshot rows, and nothing it must look up.
public struct DailyFacts: Sendable, Hashable {
    /// A client's latest health score at the end of the day.
    public struct Health: Sendable, Hashable {
        public var ownerID: String?
        public var band: HealthBand
        public init(ownerID: String?, band: HealthBand) {
            self.ownerID = ownerID
            self.band = band
        }
    }

    /// A deal as it stood at the end of the day (its stage then).
    public struct Deal: Sendable, Hashable {
        public var ownerID: String?
        public var stage: DealStage
        public var amount: Double
        public init(ownerID: String?, stage: DealStage, amount: Double) {
            self.ownerID = ownerID
            self.stage = stage
            self.amount = amount
        }
    }

    /// A deal that entered closed-won or closed-lost during the day.
    public struct Closing: Sendable, Hashable {
        public var ownerID: String?
        public var won: Bool
        public var amount: Double
        /// The client had won another deal before this one: a won deal is then an expansion.
        public var clientWonBefore: Bool
        public init(ownerID: String?, won: Bool, amount: Double, clientWonBefore: Bool) {
            self.ownerID = ownerID
            self.won = won
            self.amount = amount
            self.clientWonBefore = clientWonBefore
        }
    }

    /// A client whose lifecycle became churned during the day, with its orders of the 365 days before.
    public struct Churn: Sendable, Hashable {
        public var ownerID: String?
        public var revenue: Double
        public init(ownerID: String?, revenue: Double) {
            self.ownerID = ownerID
            self.revenue = revenue
        }
    }

    /// An inbound email first answered during the day.
    public struct Response: Sendable, Hashable {
        public var ownerID: String?
        public var receivedAt: Date
        public var answeredAt: Date
        public init(ownerID: String?, receivedAt: Date, answeredAt: Date) {
            self.ownerID = ownerID
            self.receivedAt = receivedAt
            self.answeredAt = answeredAt
        }
    }

    /// A person's decision about a draft or a suggestion during the day.
    public struct Decision: Sendable, Hashable {
        public var ownerID: String?
        /// Approved (a draft) or accepted (a suggestion); false for rejected or dismissed.
        public var accepted: Bool
        public init(ownerID: String?, accepted: Bool) {
            self.ownerID = ownerID
            self.accepted = accepted
        }
    }

    /// A model call of the day, by the user it was made for.
    public struct Call: Sendable, Hashable {
        public var userID: String?
        /// Its cost in US dollars; nil when the price is unknown.
        public var cost: Double?
        public init(userID: String?, cost: Double?) {
            self.userID = userID
            self.cost = cost
        }
    }

    /// A support ticket opened during the day.
    public struct Ticket: Sendable, Hashable {
        public var ownerID: String?
        public var priority: String
        public init(ownerID: String?, priority: String) {
            self.ownerID = ownerID
            self.priority = priority
        }
    }

    public var day: AnalyticsDay
    public var health: [Health] = []
    public var deals: [Deal] = []
    public var closings: [Closing] = []
    public var churns: [Churn] = []
    public var responses: [Response] = []
    public var drafts: [Decision] = []
    public var suggestions: [Decision] = []
    public var calls: [Call] = []
    public var tickets: [Ticket] = []

    public init(day: AnalyticsDay) {
        self.day = day
    }

    /// How far back an inbound email may have arrived and still be answered within the day counted (`responses`).
    public static let responseWindow: TimeInterval = 30 * 86_400
}
