import Foundation

/// Money held against budgets for one call, from before it is sent until its real cost is known.
///
/// The amount is the call's worst case. Settling replaces it with the real cost; releasing (the call
/// failed before using tokens) frees it. A reservation holds money only for its lease: one never
/// settled stops counting at `expiresAt` and the next write of the ledger marks it `abandoned`, so a
/// killed process cannot hold a budget forever, and its row stays for audit.
public struct Reservation: Sendable, Hashable, Codable, Identifiable {
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Holding its worst case until `expiresAt`.
        case reserved
        /// Replaced by the call's real cost.
        case settled
        /// Freed: the call failed before it used any tokens.
        case released
        /// Its lease ended before anyone settled or released it (the process was killed, or lost
        /// it): it holds nothing and charges nothing, and is kept as a record.
        case abandoned
    }

    public var id: String
    public var attribution: CallAttribution
    public var model: String
    /// The worst-case cost held.
    public var amount: Money
    public var createdAt: Date
    public var expiresAt: Date
    /// Ids of the budgets that applied when it was made (for messages and `kam budget show`).
    public var budgetIDs: [String]
    public var state: State
    /// The real cost, once settled.
    public var cost: Money?

    public init(
        id: String, attribution: CallAttribution, model: String, amount: Money, createdAt: Date, expiresAt: Date,
        budgetIDs: [String], state: State = .reserved, cost: Money? = nil
    ) {
        self.id = id
        self.attribution = attribution
        self.model = model
        self.amount = amount
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.budgetIDs = budgetIDs
        self.state = state
        self.cost = cost
    }

    /// Whether it still holds money at `now`.
    public func isLive(at now: Date) -> Bool { state == .reserved && expiresAt > now }
}
