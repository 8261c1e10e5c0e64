import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@testable import KAMPostgres

/// The lists of clients and users, the look-ups by id and email, the row counts and the rules' facts of many clients
/// (`ClientCatalogReading`, `RuleFactsReading`): the demo store, with clients and users whose names differ only in case
/// or outside ASCII, gives the same answers in the same order from SQLite and from its copy in PostgreSQL.
@Suite("Client catalog and rule facts on SQLite and PostgreSQL")
struct ClientCatalogConformanceTests {
    static let now = ClientMemoryConformanceTests.now

    /// The demo store and the names that order differently under other collations: SQLite's NOCASE folds ASCII only,
    /// so "émile" sorts after "zeta" and "Alpha" ties "alpha" (then the id decides).
    static func store(at path: String) async throws -> ClientStore {
        let store = try await ClientMemoryConformanceTests.demoStore(at: path)
        for (id, name) in [("c-alpha-2", "alpha"), ("c-alpha-1", "Alpha"), ("c-emile", "émile"), ("c-zeta", "Zeta"), ("c-Emile", "Émile")] {
            _ = try store.addClient(Client(id: id, name: name, tier: .standard, createdAt: now))
        }
        for (id, name, email) in [
            ("u-b", "bea", "Bea@Example.com"), ("u-a", "Bea", "bea2@example.com"), ("u-c", "Ödön", "odon@example.com"),
            ("bea2@example.com", "Shadow", "shadow@example.com"),
        ] {
            _ = try store.upsertUser(User(id: id, name: name, email: email))
        }
        return store
    }

    @Test("lists, look-ups, counts and rule facts are the same from the copy in PostgreSQL")
    func sameAnswers() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kam-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await PostgresTestServer.open(schema: PostgresTestServer.freshSchema())
        do {
            let sqlite = try await Self.store(at: folder.appendingPathComponent("catalog.sqlite").path)
            // Health scores too, for the rules' facts.
            _ = try SuggestionPass(
                memory: sqlite, health: HealthRepository(store: sqlite), suggestions: SuggestionRepository(store: sqlite)
            ).run(clientIDs: try sqlite.listClients().map(\.id), now: Self.now) { UUID().uuidString }
            _ = try StoreCopy.copy(from: sqlite, to: database)
            let postgres = PostgresClientMemory(store: database)

            let clients = try sqlite.listClients()
            #expect(try postgres.listClients() == clients)
            // NOCASE: the two "alpha"s by id, "Zeta" before both "émile"s (bytes above ASCII), "Émile" before "émile".
            let order = clients.map(\.id).filter { $0.hasPrefix("c-") }
            #expect(order == ["c-alpha-1", "c-alpha-2", "c-zeta", "c-Emile", "c-emile"], "\(order)")
            for id in clients.map(\.id) + ["no-such-client", "C-ALPHA-1"] {
                #expect(try postgres.client(id: id) == sqlite.client(id: id), "client \(id)")
            }

            let users = try sqlite.listUsers()
            #expect(try postgres.listUsers() == users)
            #expect(users.map(\.id).filter { $0.hasPrefix("u-") } == ["u-a", "u-b", "u-c"])
            var queries = ["nobody", "", "BEA@EXAMPLE.COM", "ÖDÖN@example.com", "Odon@Example.com"]
            queries += users.flatMap { [$0.id, $0.email, $0.email.uppercased()] }
            for query in queries {
                #expect(try postgres.user(id: query) == sqlite.user(id: query), "user '\(query)'")
            }
            // An id wins over another user's email.
            #expect(try postgres.user(id: "bea2@example.com")?.name == "Shadow")
            #expect(try sqlite.user(id: "bea2@example.com")?.name == "Shadow")

            let counts = try sqlite.counts()
            #expect(try postgres.counts() == counts)
            #expect(counts.clients == clients.count && counts.memory > 0 && counts.orders > 0)

            // The rules' facts: SQLite's seven statements a chunk, PostgreSQL's one snapshot a client.
            let ids = clients.map(\.id) + ["no-such-client"]
            for at in [Self.now, Self.now.addingTimeInterval(40 * 86_400)] {
                let expected = try RuleFactsReader(store: sqlite, chunk: 3).facts(clientIDs: ids, at: at)
                let actual = try SnapshotRuleFacts(memory: postgres, health: PostgresHealthStore(store: database))
                    .facts(clientIDs: ids, at: at)
                #expect(actual == expected)
                #expect(expected.count == clients.count && expected.values.contains { $0.health != nil })
            }
        } catch {
            try? await PostgresTestServer.drop(database)
            throw error
        }
        try await PostgresTestServer.drop(database)
    }
}
