/// Where `EmailIntake` keeps what it ingests; the SQLite store implements it (`InboundEmailRepository`).
public protocol EmailIntakeStore: ClientEmailDirectory {
    /// True when an email with this Message-ID (or raw-bytes id) is already stored.
    func containsEmail(messageID: String) throws -> Bool

    /// Writes the email, its activity, its tasks and its draft in one transaction.
    ///
    /// Returns `.duplicate` and writes nothing when the Message-ID is already stored (another intake
    /// got there first).
    func store(_ record: EmailIntakeRecord) throws -> EmailIntakeStoreResult

    /// Applies an automatic lead transition (new → contacted) to the client.
    func apply(_ transition: LeadTransition) throws
}

/// What `EmailIntakeStore.store` did.
public enum EmailIntakeStoreResult: Sendable, Hashable {
    /// Written: the email's row id, its activity's id and its tasks' ids, in action-item order.
    case stored(id: Int64, activityID: Int64?, taskIDs: [Int64])
    /// Already stored under that Message-ID (row id of the earlier one); nothing written.
    case duplicate(id: Int64)
}
