import Foundation

/// The batch writes of a sink one record at a time: what a store whose statements are cheap in-process may keep, and
/// what a store's batch falls back to when a batch would change what happens (a key twice: the second updates the
/// first). A refused record is named by its place in the batch (`ImportBatchError`).
extension ImportSink {
    public func insertClients(_ clients: [Client], at now: Date, announcing: Bool) throws {
        _ = try ImportBatch.each(clients) { try insertClient($0, at: now, announcing: announcing) }
    }

    public func upsertContacts(_ contacts: [Contact], at now: Date, announcingCreation: Bool) throws
        -> [(id: Int64, outcome: UpsertOutcome)]
    {
        try ImportBatch.each(contacts) { try upsertContact($0, at: now, announcingCreation: announcingCreation) }
    }

    public func upsertActivities(_ activities: [Activity], at now: Date, announcingCreation: Bool) throws
        -> [(id: Int64, outcome: UpsertOutcome)]
    {
        try ImportBatch.each(activities) { try upsertActivity($0, at: now, announcingCreation: announcingCreation) }
    }

    public func upsertTasks(_ tasks: [ClientTask], at now: Date, announcingCreation: Bool) throws
        -> [(id: Int64, outcome: UpsertOutcome)]
    {
        try ImportBatch.each(tasks) { try upsertTask($0, at: now, announcingCreation: announcingCreation) }
    }

    public func upsertMemories(_ items: [MemoryItem], announcingCreation: Bool) throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try ImportBatch.each(items) { try upsertMemory($0, announcingCreation: announcingCreation) }
    }

    public func append(_ events: [DomainEvent]) throws {
        for event in events { try append(event) }
    }
}
