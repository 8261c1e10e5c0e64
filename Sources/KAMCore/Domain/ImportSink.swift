import Foundation

/// The record writes and look-ups of one client import, inside the one write transaction its `ImportTarget` opened:
/// what the importer (`ClientImporter`: a JSON document, a CSV file, a connector's export) asks of a store.
///
/// The importer keeps every check, default and match (`ImportWriter`, `CSVImportWriter` in KAMStore); a sink only
/// stores and finds. Each upsert matches as the store's own upserts do (`ClientRecordStoring`: external id first) and
/// appends the same events, except where `announcingCreation` leaves a new record's event to the caller (a CSV
/// import's one `client.imported` a client, `ImportedClientEvents`). `ClientStore`'s sink writes through
/// `ClientRecords` in a GRDB `Database`; `PostgresImportTarget`'s through `PostgresClientRecordStore`'s statements in
/// one PostgreSQL session.
///
/// For example:
///
///     try target.importing("acme.json", operation: "kam import acme.json", rowsComing: 3) { sink in
///         let (id, _) = try sink.upsertClient(client, at: now, announcingLeadMove: true, announcingCreation: true)
///         let item = MemoryItem(clientID: id, kind: .preference, key: "call-time", value: "mornings", updatedAt: now)
///         try sink.upsertMemory(item, announcingCreation: true)
///     }
public protocol ImportSink {
    // MARK: Users

    /// Inserts or updates a user by id.
    /// - Throws: `StoreError.emailTaken` when another user has the email.
    func upsertUser(_ user: User) throws -> UpsertOutcome

    /// The id of the user whose id, or email (in any case), is `reference`; nil when none.
    func userID(idOrEmail reference: String) throws -> String?

    // MARK: Clients

    /// Whether a stored client has the external id (when given) or the id.
    func hasClient(externalID: String?, id: String) throws -> Bool

    /// The stored client with the external id (when given), else with the id; nil when none.
    func client(externalID: String?, id: String) throws -> Client?

    /// Inserts a client the caller has checked is new (no client has its id or external id, its owner is a user),
    /// with its `client.created` unless `announcing` is false.
    func insertClient(_ client: Client, at now: Date, announcing: Bool) throws

    /// `insertClient` for each of `clients` (ids all different), in order, in fewer statements where a store can (the
    /// default makes the calls).
    /// - Throws: `ImportBatchError` naming the client a store refused.
    func insertClients(_ clients: [Client], at now: Date, announcing: Bool) throws

    /// Inserts or updates a client, matched by external id, else by id: the stored row's id and the outcome. A new one
    /// gets `client.created` (when `announcingCreation`), an update that moves the lead `lead.status-changed` (when
    /// `announcingLeadMove`).
    /// - Throws: `StoreError.unnamedClient`, `StoreError.unknownOwner`.
    func upsertClient(_ client: Client, at now: Date, announcingLeadMove: Bool, announcingCreation: Bool) throws
        -> (id: String, outcome: UpsertOutcome)

    /// Whether the store holds any client.
    func hasClients() throws -> Bool

    /// The clients with one of `ids` or with `domain`: their names and domains by id (a CSV file's company looking for
    /// the client it already is).
    func clients(ids: [String], orDomain domain: String) throws -> [String: ImportedClientName]

    /// Client `id`'s name and domain; nil when no client has the id.
    func client(id: String) throws -> ImportedClientName?

    // MARK: The client's records

    /// Inserts or updates a contact (by external id, else email, else name within the client); `contact.created` for a
    /// new one when `announcingCreation`.
    func upsertContact(_ contact: Contact, at now: Date, announcingCreation: Bool) throws
        -> (id: Int64, outcome: UpsertOutcome)

    /// `upsertContact` for each of `contacts`, in order, as `upsertActivities` for activities.
    /// - Throws: `ImportBatchError` naming the contact a store refused.
    func upsertContacts(_ contacts: [Contact], at now: Date, announcingCreation: Bool) throws
        -> [(id: Int64, outcome: UpsertOutcome)]

    /// The row id of client `clientID`'s contact whose external id, or email (in any case), is `reference`.
    func contactID(clientID: String, idOrEmail reference: String) throws -> Int64?

    /// How many of client `clientID`'s contacts have an email at `domain` or one of its subdomains (in any case).
    func contactCount(clientID: String, emailDomain domain: String) throws -> Int

    /// Inserts an activity (`activity.logged` when `announcingCreation`) or updates the one with its external id.
    func upsertActivity(_ activity: Activity, at now: Date, announcingCreation: Bool) throws
        -> (id: Int64, outcome: UpsertOutcome)

    /// `upsertActivity` for each of `activities`, in order: their row ids and outcomes, in the same order, and the rows
    /// and events the calls one at a time would leave. A store may write them in fewer statements (PostgreSQL, where
    /// each statement is a round trip); the default makes the calls (`ImportSink+Defaults.swift`).
    ///
    /// - Throws: `ImportBatchError` naming the activity a store refused (`StoreError`) by its place in `activities`.
    func upsertActivities(_ activities: [Activity], at now: Date, announcingCreation: Bool) throws
        -> [(id: Int64, outcome: UpsertOutcome)]

    /// Inserts or updates a deal (by external id, else name within the client) and replaces its stage history, with
    /// `deal.stage-changed` for a new deal or a changed stage.
    func upsertDeal(_ deal: Deal, at now: Date) throws -> (id: Int64, outcome: UpsertOutcome)

    /// Inserts or updates a task (by external id, else title within the client): `task.created` for a new one when
    /// `announcingCreation`, `task.status-changed` when an update changes its status.
    func upsertTask(_ task: ClientTask, at now: Date, announcingCreation: Bool) throws
        -> (id: Int64, outcome: UpsertOutcome)

    /// `upsertTask` for each of `tasks`, in order, as `upsertActivities` for activities: the rows and events the calls
    /// one at a time would leave, in fewer statements where a store can (the default makes the calls).
    /// - Throws: `ImportBatchError` naming the task a store refused.
    func upsertTasks(_ tasks: [ClientTask], at now: Date, announcingCreation: Bool) throws
        -> [(id: Int64, outcome: UpsertOutcome)]

    /// Inserts an order (`order.recorded`) or updates the one with its external id.
    func upsertOrder(_ order: Order, at now: Date) throws -> (id: Int64, outcome: UpsertOutcome)

    /// Remembers an item (the same client and key replaces it): `memory.remembered` for a new one when
    /// `announcingCreation`, and for a changed one.
    func upsertMemory(_ item: MemoryItem, announcingCreation: Bool) throws -> (id: Int64, outcome: UpsertOutcome)

    /// `upsertMemory` for each of `items`, in order, as `upsertActivities` for activities.
    /// - Throws: `ImportBatchError` naming the item a store refused.
    func upsertMemories(_ items: [MemoryItem], announcingCreation: Bool) throws -> [(id: Int64, outcome: UpsertOutcome)]

    // MARK: Events

    /// Appends an event of the import (`client.imported`, `import.completed`).
    func append(_ event: DomainEvent) throws

    /// Appends events of the import in order, as `append` one after the other would (the default does).
    func append(_ events: [DomainEvent]) throws
}
