import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The stores the suggestions' conformance suite runs against; each test makes a fresh world of one kind.
enum SuggestionStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Runs `body` in a fresh world (users ana and ben; clients acme and bolt, owned by ana, and cyan, owned by ben),
    /// torn down (file removed, schema dropped) whatever happens.
    func withWorld(_ body: (SuggestionWorld) async throws -> Void) async throws {
        let world = try await open()
        try await withTearDown(world, world.tearDown, body)
    }

    /// Two stores over the same data, as two processes would open it, with the suite's fixed clock.
    private func open() async throws -> SuggestionWorld {
        let now: @Sendable () -> Date = { SuggestionWorld.t0 }
        switch self {
        case .sqlite:
            let file = TemporaryFile("kam-suggestions.sqlite")
            let stores = try (0..<2).map { _ in try ClientStore.open(path: file.path, now: now) }
            try stores[0].upsertUser(User(id: "ana", name: "Ana", email: "ana@example.test"))
            try stores[0].upsertUser(User(id: "ben", name: "Ben", email: "ben@example.test"))
            for (id, owner) in SuggestionWorld.clients {
                try stores[0].upsertClient(
                    Client(id: id, name: id.capitalized, ownerID: owner, createdAt: SuggestionWorld.t0))
            }
            return SuggestionWorld(
                stores: stores.map { SuggestionRepository(store: $0) },
                allEvents: {
                    try EventRepository(store: stores[0]).events(after: 0, limit: 100_000).map {
                        "\($0.kind) \($0.subjectID ?? "")"
                    }
                },
                notificationTitles: { user in
                    try NotificationRepository(store: stores[0]).inbox(userID: user).map(\.title)
                },
                tearDown: { file.remove() })
        case .postgres:
            let (opened, tearDown) = try await PostgresTestServer.openHandles(2)
            try await opened[0].execute(
                """
                INSERT INTO users (id, name, email) VALUES ('ana', 'Ana', 'ana@example.test'), ('ben', 'Ben', 'ben@example.test');
                """)
            for (id, owner) in SuggestionWorld.clients {
                try await opened[0].execute(
                    """
                    INSERT INTO clients (id, name, tier, currency, owner_id, consent_ai_analysis, consent_training,
                        lifecycle, lead_status, created_at, updated_at)
                    VALUES ('\(id)', '\(id.capitalized)', 'standard', 'USD', '\(owner)', TRUE, FALSE, 'active', 'won',
                        \(SuggestionWorld.t0.timeIntervalSince1970), \(SuggestionWorld.t0.timeIntervalSince1970))
                    """)
            }
            return SuggestionWorld(
                stores: opened.map { PostgresSuggestionStore(store: $0, now: now) },
                allEvents: {
                    try await opened[0].strings(
                        "SELECT kind || ' ' || COALESCE(subject_id, '') FROM events ORDER BY id")
                },
                notificationTitles: { user in
                    try await opened[0].strings(
                        "SELECT title FROM notifications WHERE user_id = '\(user)' ORDER BY id DESC")
                },
                tearDown: tearDown)
        }
    }
}

/// Two suggestion stores over one set of data (as two processes would have), and what the suites check beside them:
/// the event log (`kind subject`, oldest first) and a user's notifications (titles, newest first).
struct SuggestionWorld: Sendable {
    let stores: [any SuggestionStoring]
    let allEvents: @Sendable () async throws -> [String]
    let notificationTitles: @Sendable (String) async throws -> [String]
    let tearDown: @Sendable () async -> Void

    var store: any SuggestionStoring { stores[0] }

    /// The suites' fixed time (the stores' clock).
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    /// The clients and their owners.
    static let clients = [("acme", "ana"), ("bolt", "ana"), ("cyan", "ben")]

    /// The events of `kind` (`suggestion.created`, ...), by subject.
    func events(_ kind: String) async throws -> [String] {
        try await allEvents().filter { $0.hasPrefix(kind + " ") }.map { String($0.dropFirst(kind.count + 1)) }
    }

    /// A rule suggestion for the task action, expiring after `days`.
    static func suggestion(
        _ id: String, client: String = "acme", type: SuggestionType = .followUp, target: String = "client:acme",
        priority: Int = 50, days: Double = 14, source: SuggestionSource = .rule
    ) -> Suggestion {
        Suggestion(
            id: id, clientID: client, type: type, target: target, title: "t", reasoning: "r", evidence: [],
            priority: priority, action: .task(title: "x", dueInDays: 1, priority: .high), source: source, createdAt: t0,
            expiresAt: t0.addingTimeInterval(days * 86_400))
    }
}
