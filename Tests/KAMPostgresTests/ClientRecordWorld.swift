import Foundation
import KAMCore
import KAMStore
import Testing

@testable import KAMPostgres

/// Handles on one store's client records (one a process), and what the suite reads besides them; every handle's clock
/// stands at `start`. The users `u1`, `u2` and the clients `acme` (owned by `u1`, a qualified lead) and `globex` (owned
/// by `u2`, won) are stored through the first handle's own upserts.
struct ClientRecordWorld: StoreWorld {
    let database: TestDatabase
    let handles: [any ClientRecordStoring]
    /// A client's snapshot (its contacts, deals, tasks and memory as a context reads them).
    let memory: any ClientMemoryReading
    let events: any EventStoring

    var records: any ClientRecordStoring { handles[0] }

    /// The handles' clock.
    static let start = EventWorld.start

    init(_ database: TestDatabase) throws {
        self.database = database
        let now = database.now
        handles = database.each(sqlite: { $0 }, postgres: { PostgresClientRecordStore(store: $0, now: now) })
        memory = database.first(sqlite: { $0 }, postgres: { PostgresClientMemory(store: $0) })
        events = database.first(sqlite: { EventRepository(store: $0) }, postgres: { PostgresEventStore(store: $0) })
        for user in ["u1", "u2"] {
            #expect(try records.upsertUser(User(id: user, name: user, email: "\(user)@kam.example")) == .created)
        }
        try records.addClient(Client(id: "acme", name: "Acme", ownerID: "u1", leadStatus: .qualified, createdAt: Self.start))
        try records.addClient(Client(id: "globex", name: "Globex", ownerID: "u2", createdAt: Self.start))
    }

    /// The domain events after `cursor`, oldest first, as `kind subject payload`.
    func events(after cursor: Int64, kinds: [String]? = nil) throws -> [String] {
        try events.events(after: cursor, kinds: kinds, clientID: nil, limit: 10_000).map {
            "\($0.kind) \($0.subjectID ?? "-") \($0.payload)"
        }
    }

    /// The client with `id` as its snapshot reads it.
    func client(_ id: String) throws -> Client? {
        try memory.snapshot(clientID: id, activitiesSince: .distantPast)?.client
    }
}
