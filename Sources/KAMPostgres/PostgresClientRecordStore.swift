import Foundation
import KAMCore
import PostgresNIO

/// Clients, contacts, deals, tasks and memory items written and read one at a time in a PostgreSQL database, as
/// `ClientStore` keeps them in SQLite: the core's `ClientRecordStoring`, shared by every process that opens it.
///
/// Every write is one transaction with its domain events (`PostgresEventLog`) and the lead moves it makes
/// (`lead_transitions`, `postgres-crm-v1`), refusing what SQLite refuses with the same `StoreError`.
///
/// Where SQLite's single writer orders two processes' writes, here each write locks what it checks before it checks
/// it, so the second process reads what the first committed (write transactions are READ COMMITTED: each statement
/// after a lock wait sees the rows committed meanwhile):
/// - a contact's email is checked under the client's row lock (`SELECT … FOR NO KEY UPDATE`, which inserts' foreign
///   key checks do not wait for), so of two processes adding one email to one client exactly one stores it;
/// - a deal, task or contact changed is read `FOR UPDATE`, so a second move of a deal sees the first's stage (and
///   its `check` refuses the same stage) and writes no second history entry;
/// - a lead move locks the client's row and compares its status (`HealthRepository.apply`'s check);
/// - a new client, and a memory key, go in with `INSERT … ON CONFLICT DO NOTHING`: the unique key lets one insert
///   win, the other waits for it, then meets its row (a second `remember` of one key updates the one item);
/// - `noteOverdueTasks` holds a transaction-scoped advisory lock, so two runs note a task's due time once.
///
/// For example:
///
///     let records = PostgresClientRecordStore(store: try await PostgresStore.open(configuration))
///     let contact = try records.addContact(Contact(clientID: "acme", name: "Ana", email: "ana@acme.example"))
public struct PostgresClientRecordStore: ClientRecordStoring {
    public let store: PostgresStore
    public let now: @Sendable () -> Date

    /// The advisory lock `noteOverdueTasks` holds: "KAM" and 'C' for the client records (the second key is the
    /// schema name's hash).
    static let overdueLockKey: Int32 = 0x4B41_4D43

    public init(store: PostgresStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    typealias Rows = PostgresMemoryRows

    // MARK: Clients

    @discardableResult
    public func addClient(_ client: Client) throws -> Client {
        try store.transaction(readOnly: false) { session in
            try Self.refuseTaken(session, client)
            try Self.checkClient(session, client)
            guard try Self.insertClient(session, client, at: now()) else {
                // Another process added a client with the id or external id since the check: refuse as it would have.
                try Self.refuseTaken(session, client)
                throw StoreError(.invalidValue, "client '\(client.id)' was added meanwhile; try again")
            }
            return client
        }
    }

    /// Refuses a new client whose id, or external id, a stored client has.
    static func refuseTaken(_ session: PostgresSession, _ client: Client) throws {
        if let existing = try clientRow(session, id: client.id, lock: false) {
            throw StoreError.clientIDTaken(client.id, name: existing.name)
        }
        if let externalID = client.externalID, let other = try clientID(session, externalID: externalID) {
            throw StoreError.externalIDTaken(externalID, by: other)
        }
    }

    @discardableResult
    public func updateClient(
        id: String, reason: String, at now: Date, _ change: (inout Client) throws -> Void
    ) throws -> (client: Client, leadTransition: LeadTransition?) {
        try store.transaction(readOnly: false) { session in
            guard let before = try Self.clientRow(session, id: id, lock: true) else { throw StoreError.noClient(id) }
            let (after, move) = try before.edited(reason: reason, at: now, change)
            if let move { try PostgresHealthStore.apply(session, move) }
            try Self.upsertClient(session, after, at: now)
            if let event = DomainEvent.clientUpdated(from: before, to: after, at: now) {
                try PostgresEventLog.append(session, event)
            }
            return (after, move)
        }
    }

    // MARK: Shared reads and checks

    /// The client with `id`, or nil; locked (`FOR NO KEY UPDATE`) until the transaction ends when `lock`.
    static func clientRow(_ session: PostgresSession, id: String, lock: Bool) throws -> Client? {
        try session.query(
            """
            SELECT \(unescaped: Rows.clientColumns) FROM clients WHERE id = \(id)
            \(unescaped: lock ? "FOR NO KEY UPDATE" : "")
            """, doing: "reading client \(id)"
        ).rows.first.map(Rows.client)
    }

    /// The id of the client with `externalID`, or nil.
    static func clientID(_ session: PostgresSession, externalID: String) throws -> String? {
        try session.query(
            "SELECT id FROM clients WHERE external_id = \(externalID)", doing: "finding the client of \(externalID)"
        ).rows.first?.decode(String.self)
    }

    /// Refuses a client id that does not exist (`StoreError.noClient`); with `lock`, holds the client's row
    /// (`FOR NO KEY UPDATE`) so that writes checking its other rows (a contact's email) take turns.
    static func requireClient(_ session: PostgresSession, _ id: String, lock: Bool = false) throws {
        if try !clientExists(session, id, lock: lock) { throw StoreError.noClient(id) }
    }

    /// Holds client `id`'s row until the transaction ends (`FOR NO KEY UPDATE`: other writers of the client wait, rows
    /// referencing it do not), so that a read-then-write of the client's records is one step across processes, as
    /// SQLite's single writer makes it; whether the client exists. Every twin that writes a client's records locks
    /// through here.
    @discardableResult
    static func lockClient(_ session: PostgresSession, _ id: String, doing: String? = nil) throws -> Bool {
        try clientExists(session, id, lock: true, doing: doing)
    }

    private static func clientExists(_ session: PostgresSession, _ id: String, lock: Bool, doing: String? = nil) throws -> Bool {
        try session.query(
            "SELECT 1 FROM clients WHERE id = \(id) \(unescaped: lock ? "FOR NO KEY UPDATE" : "")",
            doing: doing ?? "checking client \(id)"
        ).rows.first != nil
    }
}
