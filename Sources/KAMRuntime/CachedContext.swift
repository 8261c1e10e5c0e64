import Foundation
import KAMCore

/// A client's context as `Runtime.contextJSON` answered it, kept in `Runtime.contexts` at the store's data version
/// it was read at: reused for a later `now` until `stableUntil` (`ContextAssembler.stableUntil`) with only its
/// `assembledAt` written again, and checked against the caller's scope by its owner as a fresh read would be.
struct CachedContext: Sendable {
    /// What the context was asked with.
    struct Key: Hashable, Sendable {
        var clientID: String
        var budget: Int?
        var activityDays: Int
        var encoding: TokenEncoding
    }

    /// The client's owner, for the scope check.
    var ownerID: String?
    var assembledAt: Date
    var stableUntil: Date
    /// `AssembledContext.encodedJSON()`.
    var json: Data

    /// Whether the context assembled at `now` is this one (its `assembledAt` aside).
    func holds(at now: Date) -> Bool {
        now == assembledAt || (now > assembledAt && now < stableUntil)
    }
}
