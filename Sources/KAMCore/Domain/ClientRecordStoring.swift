import Foundation

/// The client records written and read one at a time: clients, contacts, deals (with their stage history and the
/// lead moves they make), tasks and memory items by hand (the CRM routes, `kam clients|contacts|deal|task|remember|
/// forget`), and the upserts an import or a connector makes, each write in one transaction with its domain events.
///
/// One protocol, not one per table: the writes share their checks (a contact, deal or task needs its client; a deal
/// move and a client edit make the same lead moves in the same transaction), and a caller holds one seam whichever
/// store is behind it. `ClientStore` keeps them in SQLite; `PostgresClientRecordStore` in PostgreSQL, with the same
/// events and the same `StoreError` codes and messages (`StoreError+ClientRecords`). The snapshot a context starts
/// from is `ClientMemoryReading`.
///
/// For example:
///
///     let records: any ClientRecordStoring = runtime.clientRecords
///     let contact = try records.addContact(Contact(clientID: "acme", name: "Ana", email: "ana@acme.example"))
///     try records.moveDeal(id: 7, to: .proposal, by: "ana", at: now) { if $0.stage == .proposal { throw … } }
public protocol ClientRecordStoring: Sendable {
    // MARK: Clients

    /// Stores a new client, with its `client.created` event.
    /// - Throws: `StoreError` `.invalidValue` when a client already has the id (or the external id), or the owner is
    ///   not a user.
    @discardableResult
    func addClient(_ client: Client) throws -> Client

    /// Changes client `id` in one transaction: `change` edits the stored client; a changed lead status is kept as a
    /// manual lead transition with `reason`.
    /// - Throws: `StoreError` `.clientNotFound`, `.invalidValue` (owner not a user); whatever `change` throws.
    @discardableResult
    func updateClient(id: String, reason: String, at now: Date, _ change: (inout Client) throws -> Void) throws
        -> (client: Client, leadTransition: LeadTransition?)

    // MARK: Contacts

    /// The client's contacts, by name.
    func contacts(clientID: String) throws -> [Contact]

    /// Stores a new contact of an existing client, with its `contact.created` event.
    /// - Throws: `StoreError` `.clientNotFound`; `.invalidValue` when another contact of the client has the email.
    @discardableResult
    func addContact(_ contact: Contact) throws -> Contact

    /// Changes contact `id` of client `clientID`: `change` edits the stored contact.
    /// - Throws: `StoreError` `.invalidValue` when the client has no contact `id` or the new email is taken.
    @discardableResult
    func updateContact(id: Int64, clientID: String, _ change: (inout Contact) throws -> Void) throws -> Contact

    /// Deletes contact `id` of client `clientID`, with its `contact.removed` event.
    @discardableResult
    func removeContact(id: Int64, clientID: String) throws -> Contact

    // MARK: Deals

    /// The deal with `id` and its stage history, or nil.
    func deal(id: Int64) throws -> Deal?

    /// Deals with their stage history, open ones first (oldest in their stage first), then closed ones.
    /// `owners`: only deals of clients one of these users owns; nil for all.
    func deals(clientID: String?, includeClosed: Bool, limit: Int, owners: Set<String>?) throws -> [Deal]

    /// Stores a new deal, its first stage history entry and the lead move its stage makes, with their events.
    /// - Throws: `StoreError` `.clientNotFound`.
    @discardableResult
    func addDeal(_ deal: Deal) throws -> (deal: Deal, leadTransition: LeadTransition?)

    /// Moves deal `id` to `stage` (`check` sees the stored deal first and may refuse), with a history entry, the
    /// client's lead move and their events.
    /// - Throws: `StoreError` `.invalidValue` when no deal has the id; whatever `check` throws.
    @discardableResult
    func moveDeal(id: Int64, to stage: DealStage, by user: String?, at now: Date, check: (Deal) throws -> Void)
        throws -> DealMove

    /// Changes deal `id`'s own fields (`check` may refuse first); `deal.updated` names the fields that changed.
    /// - Throws: `StoreError` `.invalidValue` when no deal has the id; whatever `check` or `change` throws.
    @discardableResult
    func updateDeal(
        id: Int64, by user: String?, check: (Deal) throws -> Void, _ change: (inout Deal) throws -> Void
    ) throws -> (deal: Deal, fields: [String])

    // MARK: Tasks

    /// The task with `id`, or nil.
    func task(id: Int64) throws -> ClientTask?

    /// Tasks, pending ones first by due date (undated last), then closed ones.
    func tasks(clientID: String?, assignee: String?, includeClosed: Bool, limit: Int, owners: Set<String>?) throws
        -> [ClientTask]

    /// Stores a new task with its `task.created` event.
    /// - Throws: `StoreError` `.clientNotFound`.
    @discardableResult
    func addTask(_ task: ClientTask) throws -> ClientTask

    /// Changes task `id` (`change` may refuse by throwing); a changed status appends `task.status-changed`.
    /// - Throws: `StoreError` `.invalidValue` when no task has the id; whatever `change` throws.
    @discardableResult
    func updateTask(id: Int64, _ change: (inout ClientTask) throws -> Void) throws
        -> (before: ClientTask, after: ClientTask)

    /// Appends `task.overdue` once per due time for every open task past due at `now`; how many were appended.
    @discardableResult
    func noteOverdueTasks(now: Date) throws -> Int

    // MARK: Memory

    /// Remembers a fact or preference about a client, replacing any value under the same key.
    /// - Throws: `StoreError` `.clientNotFound`, or `.invalidValue` for empty text or a confidence outside 0…1.
    @discardableResult
    func remember(
        clientID: String, text: String, key: String?, kind: MemoryKind, source: String, confidence: Double
    ) throws -> (item: MemoryItem, outcome: UpsertOutcome)

    /// Forgets the memory item `key` of a client.
    /// - Throws: `StoreError` `.memoryKeyNotFound` (listing the client's keys), `.clientNotFound`.
    @discardableResult
    func forget(clientID: String, key: String) throws -> MemoryItem

    // MARK: Upserts (an import's or a connector's records, matched by external id and the like)

    @discardableResult
    func upsertUser(_ user: User) throws -> UpsertOutcome
    @discardableResult
    func upsertClient(_ client: Client) throws -> (id: String, outcome: UpsertOutcome)
    @discardableResult
    func upsertContact(_ contact: Contact) throws -> (id: Int64, outcome: UpsertOutcome)
    @discardableResult
    func upsertActivity(_ activity: Activity) throws -> (id: Int64, outcome: UpsertOutcome)
    @discardableResult
    func upsertDeal(_ deal: Deal) throws -> (id: Int64, outcome: UpsertOutcome)
    @discardableResult
    func upsertTask(_ task: ClientTask) throws -> (id: Int64, outcome: UpsertOutcome)
    @discardableResult
    func upsertOrder(_ order: Order) throws -> (id: Int64, outcome: UpsertOutcome)
}
