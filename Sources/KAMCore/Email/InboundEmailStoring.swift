import Foundation

/// Where inbound email is kept: what `EmailIntake` writes (the email, its activity, tasks, ticket and pending
/// draft in one transaction), the directory it matches senders with, and what `kam email list`/`show` and the
/// daily plan read back. `InboundEmailRepository` on SQLite, `PostgresInboundEmailStore` on PostgreSQL.
///
/// Both behave alike (`InboundEmailStoreConformanceTests`); in particular one Message-ID is stored once however
/// many intakes race for it, in one process or several: one is stored, and every other gets `.duplicate` with the
/// first one's row id, having written nothing. The lead move an intake makes (`EmailIntakeStore.apply`) is the
/// leads' store's, not this one's: an intake gets both as `EmailIntakeStores`.
///
/// For example:
/// ```swift
/// if case .stored(let id, _, _) = try emails.store(record) { print(try emails.entry(String(id))?.status) }
/// let failed = try emails.list(clientID: nil, status: .failed, limit: 20)
/// ```
public protocol InboundEmailStoring: ClientEmailDirectory {
    /// True when an email with this Message-ID (or raw-bytes id) is already stored.
    func containsEmail(messageID: String) throws -> Bool

    /// Writes the email, its activity, its tasks, its ticket and its draft in one transaction, with their events
    /// (`email.ingested`, `email.unmatched`, `activity.logged`, `task.created`, `ticket.created`, `draft.created`).
    /// Returns `.duplicate` and writes nothing when the Message-ID is already stored.
    ///
    /// - Throws: `StoreError` `.clientNotFound` when the match names a client the store does not have.
    func store(_ record: EmailIntakeRecord) throws -> EmailIntakeStoreResult

    /// Stored emails, newest first (received time, then id), optionally for one client and in one status.
    func list(clientID: String?, status: EmailIntakeStatus?, limit: Int) throws -> [EmailIntakeEntry]

    /// The email with this row id or Message-ID (angle brackets optional).
    func entry(_ idOrMessageID: String) throws -> EmailIntakeEntry?

    /// The raw bytes as received.
    func raw(id: Int64) throws -> [UInt8]?

    /// How many emails are stored in each status.
    func counts() throws -> [EmailIntakeStatus: Int]

    /// The analysed intent of the emails of clients received since `since`, newest first (what the daily plan reads).
    func inboundSignals(since: Date) throws -> [InboundSignal]
}
