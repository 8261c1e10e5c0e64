import Foundation
import KAMCore
import KAMStore

@testable import KAMPostgres

/// Draft stores over one set of data, one a handle, and what the suite reads besides them: the domain events written.
struct DraftWorld: StoreWorld {
    let database: TestDatabase
    let stores: [any DraftStoring]

    var store: any DraftStoring { stores[0] }

    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    /// The users and the clients they own: `u1` owns `acme`, `u2` owns `globex`, nobody owns `initech`.
    static let clients: [(id: String, owner: String?)] = [("acme", "u1"), ("globex", "u2"), ("initech", nil)]

    /// The users `u1`, `u2` and `u3`, and `clients`.
    static let seed = [
        SeedRows.users(["u1", "u2", "u3"]),
        SeedRows.clients(clients.map { SeedRows.Client(id: $0.id, name: $0.id, owner: $0.owner, createdAt: start) }),
    ]

    init(_ database: TestDatabase) async throws {
        self.database = database
        try await database.execute(Self.seed)
        stores = database.each(sqlite: { DraftRepository(store: $0) }, postgres: { PostgresDraftStore(store: $0) })
    }

    /// The drafts' and their feedback's domain events, oldest first, as `kind subject payload`.
    func domainEvents() async throws -> [String] {
        try await allEvents().filter { $0.hasPrefix("draft.") || $0.hasPrefix("feedback.") }
    }
}
