import Foundation
import GRDB
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The two stores the plan suites run against, each with two handles over one set of data, as two processes
/// would open it: two `ClientStore`s on one SQLite file, two `PostgresStore` pools on one schema.
enum PlanStoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// The users the plans belong to (plans reference users).
    static let users = ["maria", "tom"]

    /// Runs `body` in a fresh world with the two users, torn down whatever happens.
    func withWorld(_ body: (PlanWorld) async throws -> Void) async throws {
        let world = try await open()
        try await withTearDown(world, world.tearDown, body)
    }

    private func open() async throws -> PlanWorld {
        switch self {
        case .sqlite:
            let file = TemporaryFile("kam-plans.sqlite")
            let stores = try (0..<2).map { _ in try ClientStore.open(path: file.path) }
            try await stores[0].writer.write { db in
                for user in Self.users {
                    try db.execute(
                        sql: "INSERT INTO users (id, name, email) VALUES (?, ?, ?)", arguments: [user, user, "\(user)@kam.example"])
                }
            }
            return PlanWorld(
                plans: stores.map { DailyPlanRepository(store: $0) }, weeks: stores.map { WeeklyAnalysisRepository(store: $0) },
                events: { kind in
                    try stores[0].writer.read { db in
                        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE kind = ?", arguments: [kind]) ?? 0
                    }
                }
            ) { file.remove() }
        case .postgres:
            let (stores, tearDown) = try await PostgresTestServer.openHandles(2)
            try stores[0].load { loader in
                try loader.insert(
                    table: "users", columns: ["id", "name", "email"],
                    rows: Self.users.map { [.text($0), .text($0), .text("\($0)@kam.example")] })
            }
            return PlanWorld(
                plans: stores.map { PostgresDailyPlanStore(store: $0) }, weeks: stores.map { PostgresWeeklyAnalysisStore(store: $0) },
                events: { kind in
                    Int(try await stores[0].strings("SELECT COUNT(*)::text FROM events WHERE kind = '\(kind)'").first ?? "0") ?? 0
                }, tearDown: tearDown)
        }
    }
}

/// Two handles of each plan store over one set of data, and a count of the events of a kind in its log.
struct PlanWorld: Sendable {
    let plans: [any DailyPlanStoring]
    let weeks: [any WeeklyAnalysisStoring]
    let events: @Sendable (String) async throws -> Int
    let tearDown: @Sendable () async -> Void

    init(
        plans: [any DailyPlanStoring], weeks: [any WeeklyAnalysisStoring], events: @escaping @Sendable (String) async throws -> Int,
        tearDown: @escaping @Sendable () async -> Void
    ) {
        self.plans = plans
        self.weeks = weeks
        self.events = events
        self.tearDown = tearDown
    }
}
