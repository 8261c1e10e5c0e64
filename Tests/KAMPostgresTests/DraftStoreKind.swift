import Foundation
import KAMCore
import KAMStore
import KAMTesting
import PostgresNIO
import Testing

@testable import KAMPostgres

/// The stores the drafts' conformance suite runs against; each test makes a fresh world of one kind.
enum DraftStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Runs `body` in a fresh world with `handles` stores over the same data (as that many processes would open
    /// it) and the users and clients the suite's drafts need, torn down whatever happens.
    func withWorld(handles: Int = 2, _ body: (DraftWorld) async throws -> Void) async throws {
        let world = try await open(handles: handles)
        try await withTearDown(world, world.tearDown) { world in
            try await world.addClients()
            try await body(world)
        }
    }

    private func open(handles: Int) async throws -> DraftWorld {
        switch self {
        case .sqlite:
            let file = TemporaryFile("kam-drafts.sqlite")
            let stores = try (0..<handles).map { _ in try ClientStore.open(path: file.path) }
            return DraftWorld(
                stores: stores.map { DraftRepository(store: $0) }, backend: .sqlite(stores[0]),
                tearDown: { file.remove() })
        case .postgres:
            let (opened, tearDown) = try await PostgresTestServer.openHandles(handles)
            return DraftWorld(
                stores: opened.map { PostgresDraftStore(store: $0) }, backend: .postgres(opened[0]), tearDown: tearDown)
        }
    }
}

/// Draft stores over one set of data, and what the suite reads besides them: the domain events written.
struct DraftWorld: Sendable {
    enum Backend: Sendable {
        case sqlite(ClientStore)
        case postgres(PostgresStore)
    }

    let stores: [any DraftStoring]
    let backend: Backend
    let tearDown: @Sendable () async -> Void

    var store: any DraftStoring { stores[0] }

    /// The users and the clients they own: `u1` owns `acme`, `u2` owns `globex`, nobody owns `initech`.
    static let clients: [(id: String, owner: String?)] = [("acme", "u1"), ("globex", "u2"), ("initech", nil)]

    func addClients() async throws {
        let created = Date(timeIntervalSince1970: 1_700_000_000)
        switch backend {
        case .sqlite(let store):
            for user in ["u1", "u2", "u3"] {
                _ = try store.upsertUser(User(id: user, name: user, email: "\(user)@kam.example"))
            }
            for client in Self.clients {
                _ = try store.upsertClient(
                    Client(id: client.id, name: client.id, ownerID: client.owner, createdAt: created))
            }
        case .postgres(let store):
            let logger = store.logger
            try await store.withConnection(doing: "adding the suite's users and clients") { connection in
                for user in ["u1", "u2", "u3"] {
                    _ = try await connection.query(
                        "INSERT INTO users (id, name, email) VALUES (\(user), \(user), \(user + "@kam.example"))",
                        logger: logger)
                }
                for client in Self.clients {
                    _ = try await connection.query(
                        """
                        INSERT INTO clients (id, name, tier, currency, owner_id, consent_ai_analysis, consent_training,
                            lifecycle, lead_status, created_at, updated_at)
                        VALUES (\(client.id), \(client.id), 'standard', 'USD', \(client.owner), TRUE, FALSE, 'active', 'won',
                            \(created.timeIntervalSince1970), \(created.timeIntervalSince1970))
                        """, logger: logger)
                }
            }
        }
    }

    /// The drafts' and their feedback's domain events, oldest first, as `kind subject payload`.
    func domainEvents() async throws -> [String] {
        let all: [String]
        switch backend {
        case .sqlite(let store):
            all = try EventRepository(store: store).events(after: 0, limit: 100_000).map {
                "\($0.kind) \($0.subjectID ?? "-") \($0.payload)"
            }
        case .postgres(let store):
            all = try await store.strings(
                "SELECT kind || ' ' || COALESCE(subject_id, '-') || ' ' || payload FROM events ORDER BY id")
        }
        return all.filter { $0.hasPrefix("draft.") || $0.hasPrefix("feedback.") }
    }
}
