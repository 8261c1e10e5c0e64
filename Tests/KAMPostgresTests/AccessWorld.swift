import Foundation
import KAMCore
import KAMStore
import KAMTesting

@testable import KAMPostgres

/// One handle's stores: what one process would hold.
struct AccessHandle: Sendable {
    let users: any UserStoring
    let keys: any APIKeyStoring
    let sessions: any WebSessionStoring
    let versions: any PromptVersionLedger
    let allVersions: @Sendable () throws -> [(promptID: String, version: String, contentHash: String, firstUsedAt: Date)]
    let moves: any PromptLabelMoveStoring
}

/// The stores of the access and prompt-version conformance suites, one set a handle of a fresh, empty database, and
/// the database itself for what no store method does (seeding clients, reading the event log).
struct AccessWorld: StoreWorld {
    let database: TestDatabase
    let handles: [AccessHandle]

    /// A fixed instant the world's clock starts at.
    static let start = Date(timeIntervalSince1970: 1_795_003_200)

    init(_ database: TestDatabase) {
        self.database = database
        let now = database.now
        handles = database.each(
            sqlite: { store in
                AccessHandle(
                    users: UserRepository(store: store), keys: APIKeyRepository(store: store),
                    sessions: WebSessionRepository(store: store),
                    versions: SQLitePromptVersionLedger(writer: store.writer, now: now),
                    allVersions: { try SQLitePromptVersionLedger(writer: store.writer).all() },
                    moves: PromptLabelMoveRepository(writer: store.writer))
            },
            postgres: { store in
                AccessHandle(
                    users: PostgresUserStore(store: store, now: now), keys: PostgresAPIKeyStore(store: store, now: now),
                    sessions: PostgresWebSessionStore(store: store, now: now),
                    versions: PostgresPromptVersionLedger(store: store, now: now),
                    allVersions: { try PostgresPromptVersionLedger(store: store).all() },
                    moves: PostgresPromptLabelMoveStore(store: store))
            })
    }

    /// The first handle.
    var first: AccessHandle { handles[0] }

    /// The kinds of the events logged so far, oldest first.
    func eventKinds() async throws -> [String] {
        try await strings("SELECT kind FROM events ORDER BY id")
    }

    /// The subjects of the events of `kind`, oldest first.
    func eventSubjects(_ kind: EventKind) async throws -> [String] {
        try await strings("SELECT subject_id FROM events WHERE kind = '\(kind.rawValue)' ORDER BY id")
    }

    /// Runs `first` and `second` at once, each on a thread of its own (as two processes would), started together,
    /// and returns their results in order.
    static func race<T: Sendable>(_ first: @escaping @Sendable () -> T, _ second: @escaping @Sendable () -> T) async
        -> [T]
    {
        await OnThreads.values(2) { index in index == 0 ? first() : second() }
    }
}
