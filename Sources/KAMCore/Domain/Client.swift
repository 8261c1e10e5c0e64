import Foundation

/// A client account: the company an account manager looks after.
public struct Client: Codable, Sendable, Hashable, Identifiable {
    /// Stable slug, e.g. `acme`; what every command takes as CLIENT.
    public var id: String
    public var name: String
    /// The id this client has in the system it was imported from; makes re-imports idempotent.
    public var externalID: String?
    public var industry: String?
    public var tier: SubscriptionTier
    /// Monthly budget of the client's subscription, in `currency`.
    public var monthlyBudget: Double?
    public var currency: String
    /// The user (account manager) who owns the account.
    public var ownerID: String?
    /// The email domain of the client's people, used to match inbound mail.
    public var domain: String?
    public var consentAIAnalysis: Bool
    public var consentTraining: Bool
    public var lifecycle: LifecycleStatus
    public var leadStatus: LeadStatus
    /// When the client's contract comes up for renewal (the renewal-risk suggestion looks ahead to it).
    public var renewalDate: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, name: String, externalID: String? = nil, industry: String? = nil,
        tier: SubscriptionTier = .standard, monthlyBudget: Double? = nil, currency: String = "USD",
        ownerID: String? = nil, domain: String? = nil, consentAIAnalysis: Bool = true,
        consentTraining: Bool = false, lifecycle: LifecycleStatus = .active, leadStatus: LeadStatus = .won,
        renewalDate: Date? = nil, createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.externalID = externalID
        self.industry = industry
        self.tier = tier
        self.monthlyBudget = monthlyBudget
        self.currency = currency
        self.ownerID = ownerID
        self.domain = domain
        self.consentAIAnalysis = consentAIAnalysis
        self.consentTraining = consentTraining
        self.lifecycle = lifecycle
        self.leadStatus = leadStatus
        self.renewalDate = renewalDate
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }
}
