import Foundation
import KAMCore

/// The records of a CSV import's latest rows, held until `CSVImportWriter` writes them together: activities, tasks
/// and memory items, each with its client (the file's index) and line, and the clients whose last row came, whose
/// `client.imported` waits for those records' outcomes.
///
/// Written together, a store needs a few statements for many rows (`ImportSink.upsertActivities`, `upsertTasks`,
/// `upsertMemories`): on PostgreSQL a statement is a round trip, on SQLite a multi-row `INSERT` opens its table's
/// cursors once. A batch never holds one key twice (an activity's or task's external id, a client's memory key): the
/// writer writes the batch before it adds the second, which then updates the first, as one at a time would.
struct CSVPendingRecords {
    /// Records held before they are written: a few hundred rows of one person a company, a few kB of values.
    static let capacity = 512

    /// A held record's client (its index in the plan) and line, for its tally and for a refusal's message.
    struct Owner {
        var client: Int
        var line: Int
    }

    private(set) var activities: [Activity] = []
    private(set) var activityOwners: [Owner] = []
    private(set) var tasks: [ClientTask] = []
    private(set) var taskOwners: [Owner] = []
    private(set) var memory: [MemoryItem] = []
    private(set) var memoryOwners: [Owner] = []
    /// Clients whose last row was written, in that order: their index and id in the store.
    private(set) var finished: [(client: Int, id: String)] = []

    private var activityIDs: Set<String> = []
    private var taskIDs: Set<String> = []
    private var memoryKeys: Set<MemoryKey> = []

    private struct MemoryKey: Hashable {
        var client: String
        var key: String
    }

    var isEmpty: Bool { activities.isEmpty && tasks.isEmpty && memory.isEmpty && finished.isEmpty }

    private var count: Int { activities.count + tasks.count + memory.count + finished.count }

    /// Whether `activity` must wait for the held records to be written: the batch is full, or holds its external id.
    func mustWrite(before activity: Activity) -> Bool {
        count >= Self.capacity || activity.externalID.map(activityIDs.contains) ?? false
    }

    func mustWrite(before task: ClientTask) -> Bool {
        count >= Self.capacity || task.externalID.map(taskIDs.contains) ?? false
    }

    func mustWrite(before item: MemoryItem) -> Bool {
        count >= Self.capacity || memoryKeys.contains(MemoryKey(client: item.clientID, key: item.key))
    }

    mutating func add(_ activity: Activity, _ owner: Owner) {
        if let id = activity.externalID { activityIDs.insert(id) }
        activities.append(activity)
        activityOwners.append(owner)
    }

    mutating func add(_ task: ClientTask, _ owner: Owner) {
        if let id = task.externalID { taskIDs.insert(id) }
        tasks.append(task)
        taskOwners.append(owner)
    }

    mutating func add(_ item: MemoryItem, _ owner: Owner) {
        memoryKeys.insert(MemoryKey(client: item.clientID, key: item.key))
        memory.append(item)
        memoryOwners.append(owner)
    }

    mutating func finish(client: Int, id: String) {
        finished.append((client, id))
    }

    /// Empties the batch, keeping its arrays' storage for the next.
    mutating func removeAll() {
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
