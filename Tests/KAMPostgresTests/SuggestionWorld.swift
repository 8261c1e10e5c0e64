import Foundation
import KAMCore
import KAMStore

@testable import KAMPostgres

/// Two suggestion stores over one set of data (as two processes would have), and what the suites check beside them:
/// the event log (`kind subject`, oldest first) and a user's notifications (titles, newest first).
struct SuggestionWorld: StoreWorld {
    let database: TestDatabase
    let stores: [any SuggestionStoring]

    var store: any SuggestionStoring { stores[0] }

    /// The suites' fixed time (the stores' clock).
    static let start = Date(timeIntervalSince1970: 1_790_000_000)
    /// The clients and their owners.
    static let clients = [("acme", "ana"), ("bolt", "ana"), ("cyan", "ben")]

    init(_ database: TestDatabase) async throws {
        self.database = database
        try await database.execute([
            SeedRows.users([(id: "ana", name: "Ana", email: "ana@example.test"), (id: "ben", name: "Ben", email: "ben@example.test")]),
            SeedRows.clients(
                Self.clients.map { SeedRows.Client(id: $0.0, name: $0.0.capitalized, owner: $0.1, createdAt: Self.start) }),
        ])
        let now = database.now
        stores = database.each(
            sqlite: { SuggestionRepository(store: $0) }, postgres: { PostgresSuggestionStore(store: $0, now: now) })
    }

    /// Every event written, oldest first, as `kind subject` (`allEvents` without the payloads).
    func kindsAndSubjects() async throws -> [String] {
        try await allEvents().map { $0.split(separator: " ", maxSplits: 2).prefix(2).joined(separator: " ") }
    }

    /// `user`'s notifications' titles, newest first.
    func notificationTitles(_ user: String) async throws -> [String] {
        try await strings("SELECT title FROM notifications WHERE user_id = '\(user)' ORDER BY id DESC")
    }

    /// The events of `kind` (`suggestion.created`, ...), by subject.
    func events(_ kind: String) async throws -> [String] {
        try await kindsAndSubjects().filter { $0.hasPrefix(kind + " ") }.map { String($0.dropFirst(kind.count + 1)) }
    }

    /// A rule suggestion for the task action, expiring after `days`.
    static func suggestion(
        _ id: String, client: String = "acme", type: SuggestionType = .followUp, target: String = "client:acme",
        priority: Int = 50, days: Double = 14, source: SuggestionSource = .rule
    ) -> Suggestion {
        Suggestion(
            id: id, clientID: client, type: type, target: target, title: "t", reasoning: "r", evidence: [],
            priority: priority, action: .task(title: "x", dueInDays: 1, priority: .high), source: source, createdAt: start,
            expiresAt: start.addingTimeInterval(days * 86_400))
    }
}
