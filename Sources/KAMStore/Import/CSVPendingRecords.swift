import Foundation
import KAMCore

/// The records of a CSV import's latest rows, held until `CSVImportWriter` writes them together: new clients (the
/// store held none when the import began), contacts with an id, activities, tasks and memory items, each with its
/// client (the file's index) and line, and the clients whose last row came, whose `client.imported` waits for those
/// records' outcomes. An activity of a held contact names it by its place among the held contacts
/// (`ContactReference`), and takes its row id once the contacts are written.
///
/// Written together, a store may need a few statements for many rows (`ImportSink.insertClients`, `upsertContacts`,
/// `upsertActivities`, `upsertTasks`, `upsertMemories`): on PostgreSQL, where a statement is a round trip, a batch is
/// a statement or a few a kind of record instead of eight a row of one person a company (SQLite, where a statement is
/// an in-process call, writes them one at a time: `DatabaseImportSink`). A batch never holds one key twice (a client's
/// id, a contact's, activity's or task's external id, a client's memory key): the writer writes the batch before it
/// adds the second, which then updates the first, as one at a time would; a held client is replaced instead, while
/// it is still held.
struct CSVPendingRecords {
    /// Records held before they are written, by default: a hundred rows of one person a company, a few kB of values.
    static let defaultCapacity = 512

    /// How many records are held before they are written (`ClientImporter.batchCapacity`; 1 writes each at once).
    let capacity: Int

    init(capacity: Int = Self.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    /// A held record's client (its index in the plan) and line, for its tally and for a refusal's message.
    struct Owner {
        var client: Int
        var line: Int
    }

    /// Where an activity's contact is: stored (its row id), or held here (its place among `contacts`).
    enum ContactReference {
        case stored(Int64)
        case held(Int)
    }

    /// New clients, written first: the other records refer to them.
    private(set) var clients: [Client] = []
    /// The line of each held client's latest row, for a refusal's message.
    private(set) var clientLines: [Int] = []
    private(set) var contacts: [Contact] = []
    private(set) var contactOwners: [Owner] = []
    /// Whether each held contact counts in the summary (a person's first row).
    private(set) var contactCounts: [Bool] = []
    private(set) var activities: [Activity] = []
    private(set) var activityOwners: [Owner] = []
    /// The held contact of each activity that has one held.
    private var activityContacts: [(activity: Int, contact: Int)] = []
    private(set) var tasks: [ClientTask] = []
    private(set) var taskOwners: [Owner] = []
    private(set) var memory: [MemoryItem] = []
    private(set) var memoryOwners: [Owner] = []
    /// Clients whose last row was written, in that order: their index and id in the store.
    private(set) var finished: [(client: Int, id: String)] = []

    /// Each held client's place among `clients`, by id.
    private var clientPlaces: [String: Int] = [:]
    // The held keys by their hash values, not the strings: hashed once where kept as strings they were hashed twice
    // (checked, then added) and retained, for every record (6% of a CSV import's writing thread). Two keys with one
    // hash value only write the batch early, which changes no outcome.
    private var contactIDs: Set<Int> = []
    /// The clients of the held contacts: a contact without an id, matched by email or name, waits for them.
    private var contactClients: Set<String> = []
    private var activityIDs: Set<Int> = []
    private var taskIDs: Set<Int> = []
    private var memoryKeys: Set<Int> = []

    /// The hash value by which a client's memory key is held.
    private static func memoryKey(_ item: MemoryItem) -> Int {
        var hasher = Hasher()
        hasher.combine(item.clientID)
        hasher.combine(item.key)
        return hasher.finalize()
    }

    var isEmpty: Bool { clients.isEmpty && contacts.isEmpty && activities.isEmpty && tasks.isEmpty && memory.isEmpty && finished.isEmpty }

    private var count: Int { clients.count + contacts.count + activities.count + tasks.count + memory.count + finished.count }

    /// Whether a new client must wait for the held records to be written: the batch is full (a client's first row,
    /// where it is held, comes once).
    func mustWrite(before client: Client) -> Bool { count >= capacity }

    /// Whether clients are held: a client written at once (matched among the stored ones) waits for them.
    var holdsClients: Bool { !clients.isEmpty }

    /// Whether the client with `id` is held (not yet stored).
    func holdsClient(_ id: String) -> Bool { clientPlaces[id] != nil }

    /// Holds a new client, or replaces the held one with its id (the client complete at its last row).
    mutating func hold(_ client: Client, line: Int) {
        if let place = clientPlaces[client.id] {
            clients[place] = client
            clientLines[place] = line
        } else {
            clientPlaces[client.id] = clients.count
            clients.append(client)
            clientLines.append(line)
        }
    }

    /// Whether a contact of `clientID` is held: one of the client's without an id, matched by email or name among the
    /// stored ones, is written after them.
    func holdsContact(ofClient clientID: String) -> Bool { contactClients.contains(clientID) }

    // A contact with an id, an activity, a task or a memory item is held unless the batch is full or holds its key:
    // then nothing changes and the call answers so, and the caller writes the batch and holds the record in the empty
    // one. Checking and holding in one call hashes the key once.

    /// Holds `contact` (with an external id); `counts`: whether the summary counts it. Its reference, or nil when the
    /// held records must be written first.
    mutating func add(_ contact: Contact, _ owner: Owner, counts: Bool) -> ContactReference? {
        guard count < capacity, Self.newKey(contact.externalID, in: &contactIDs) else { return nil }
        contactClients.insert(contact.clientID)
        contacts.append(contact)
        contactOwners.append(owner)
        contactCounts.append(counts)
        return .held(contacts.count - 1)
    }

    /// Holds `activity`, of `contact` when it has one (held here, or stored); false when the held records must be written first.
    mutating func add(_ activity: Activity, _ owner: Owner, contact: ContactReference?) -> Bool {
        guard count < capacity, Self.newKey(activity.externalID, in: &activityIDs) else { return false }
        var activity = activity
        switch contact {
        case .stored(let id): activity.contactID = id
        case .held(let place): activityContacts.append((activities.count, place))
        case nil: break
        }
        activities.append(activity)
        activityOwners.append(owner)
        return true
    }

    /// Gives the activities of held contacts their contacts' row ids, `ids` in the held contacts' order.
    mutating func contactsWritten(_ ids: [Int64]) {
        for (activity, contact) in activityContacts { activities[activity].contactID = ids[contact] }
    }

    /// Holds `task`; false when the held records must be written first.
    mutating func add(_ task: ClientTask, _ owner: Owner) -> Bool {
        guard count < capacity, Self.newKey(task.externalID, in: &taskIDs) else { return false }
        tasks.append(task)
        taskOwners.append(owner)
        return true
    }

    /// Holds `item`; false when the held records must be written first.
    mutating func add(_ item: MemoryItem, _ owner: Owner) -> Bool {
        guard count < capacity, memoryKeys.insert(Self.memoryKey(item)).inserted else { return false }
        memory.append(item)
        memoryOwners.append(owner)
        return true
    }

    /// Whether `key` (none: always) was not held yet; it is from now on.
    private static func newKey(_ key: String?, in held: inout Set<Int>) -> Bool {
        key.map { held.insert($0.hashValue).inserted } ?? true
    }

    mutating func finish(client: Int, id: String) {
        finished.append((client, id))
    }

    /// Empties the batch, keeping its arrays' storage for the next.
    mutating func removeAll() {
        clients.removeAll(keepingCapacity: true)
        clientLines.removeAll(keepingCapacity: true)
        clientPlaces.removeAll(keepingCapacity: true)
        contacts.removeAll(keepingCapacity: true)
        contactOwners.removeAll(keepingCapacity: true)
        contactCounts.removeAll(keepingCapacity: true)
        contactIDs.removeAll(keepingCapacity: true)
        contactClients.removeAll(keepingCapacity: true)
        activityContacts.removeAll(keepingCapacity: true)
        activities.removeAll(keepingCapacity: true)
        activityOwners.removeAll(keepingCapacity: true)
        tasks.removeAll(keepingCapacity: true)
        taskOwners.removeAll(keepingCapacity: true)
        memory.removeAll(keepingCapacity: true)
        memoryOwners.removeAll(keepingCapacity: true)
        finished.removeAll(keepingCapacity: true)
        activityIDs.removeAll(keepingCapacity: true)
        taskIDs.removeAll(keepingCapacity: true)
        memoryKeys.removeAll(keepingCapacity: true)
    }
}
