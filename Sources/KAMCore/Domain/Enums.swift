import Foundation

/// The subscription a client pays for.
public enum SubscriptionTier: String, Codable, Sendable, CaseIterable {
    case free, starter, standard, professional, enterprise
}

/// Where a client stands in the relationship.
public enum LifecycleStatus: String, Codable, Sendable, CaseIterable {
    case prospect, onboarding, active, atRisk = "at-risk", churned
}

/// The lead pipeline: new → contacted → qualified → proposal → negotiation → won / lost.
public enum LeadStatus: String, Codable, Sendable, CaseIterable {
    case new, contacted, qualified, proposal, negotiation, won, lost
}

/// What a contact is to the deal.
public enum ContactRole: String, Codable, Sendable, CaseIterable {
    case decisionMaker = "decision-maker", influencer, champion, user
}

public enum ActivityKind: String, Codable, Sendable, CaseIterable {
    case email, call, meeting, note, demo
}

public enum ActivityDirection: String, Codable, Sendable, CaseIterable {
    case inbound, outbound, `internal`
}

public enum DealStage: String, Codable, Sendable, CaseIterable {
    case prospecting, qualification, proposal, negotiation, closedWon = "closed-won", closedLost = "closed-lost"

    public var isOpen: Bool { self != .closedWon && self != .closedLost }
}

public enum TaskStatus: String, Codable, Sendable, CaseIterable {
    case open, inProgress = "in-progress", done, cancelled

    public var isPending: Bool { self == .open || self == .inProgress }
}

public enum TaskPriority: String, Codable, Sendable, CaseIterable {
    case low, medium, high, urgent

    public var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .urgent: 3
        }
    }
}

public enum MemoryKind: String, Codable, Sendable, CaseIterable {
    case fact, preference
}
