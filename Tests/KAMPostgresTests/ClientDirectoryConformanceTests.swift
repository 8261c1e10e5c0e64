import Foundation
import GRDB
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The client directory's reads (`ClientDirectoryReading`: search, timelines, latest health bands) on SQLite and
/// PostgreSQL: the demo store, with health scores (ties at one second included) and emails that made no activity
/// (one at the same second as an activity) added, copied into PostgreSQL by `StoreCopy`, gives the same answers for
/// every client, page and query as SQLite, and hand-checked ones.
///
/// Reads only (each one read-only transaction), so there is no race to run. Without a server the case is skipped
/// (`PostgresTestServer`), and fails under CI.
@Suite("Client directory on SQLite and PostgreSQL")
struct ClientDirectoryConformanceTests {
    @Test("search, every client's timeline page by page, and the latest health bands are the same from PostgreSQL")
    func sameAnswers() async throws {
        let file = TemporaryFile("kam-directory.sqlite")
        defer { file.remove() }
        let sqlite = try await ClientMemoryConformanceTests.demoStore(at: file.path)
        let now = ClientMemoryConformanceTests.now.timeIntervalSince1970
        let clients = try sqlite.listClients()
        #expect(clients.count >= 5)
        let first = try #require(clients.first)
        let tied = try await sqlite.writer.write { db in
            for (index, client) in clients.enumerated() where index % 3 != 2 {
                for (step, band) in [(0, "good"), (0, "critical"), (1, "excellent")] {
                    // Scores stored out of time order; the two at one second: the last stored wins.
                    try db.execute(
                        sql:
                            "INSERT INTO health_scores (client_id, computed_at, score, band, factors) VALUES (?, ?, 50, ?, '[]')",
                        arguments: [client.id, now - Double(step + index) * 86_400, band])
                }
            }
            // Two emails that made no activity: one at the second of the client's latest activity (the activity
            // comes first), one newer.
            let latest =
                try Double.fetchOne(
                    db, sql: "SELECT MAX(occurred_at) FROM activities WHERE client_id = ?", arguments: [first.id])
                ?? now
            for (index, at) in [latest, latest + 60].enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO inbound_emails (message_id, client_id, match, confidence, status, received_at, subject)
                        VALUES (?, ?, 'email-domain', 0.7, 'new', ?, 'Hello')
                        """,
                    arguments: ["<directory-\(index)@example>", first.id, at])
            }
            return latest
        }
        try await StoreBackend.withPostgresCopy(of: sqlite) { database in
            let postgres = PostgresClientMemory(store: database)

            let bands = try sqlite.latestHealthBands()
            #expect(bands[first.id] == .critical)
            #expect(bands.count >= clients.indices.filter { $0 % 3 != 2 }.count)
            #expect(try postgres.latestHealthBands() == bands)

            var entries = 0
            var emails = 0
            for client in clients {
                let whole = try sqlite.timeline(clientID: client.id, offset: 0, limit: 10_000)
                #expect(try postgres.timeline(clientID: client.id, offset: 0, limit: 10_000) == whole, "\(client.id)")
                entries += whole.count
                emails += whole.count { $0.email != nil }
                for (offset, limit) in [(0, 1), (0, 3), (3, 3), (1, 2), (whole.count, 5)] {
                    let page = try postgres.timeline(clientID: client.id, offset: offset, limit: limit)
                    #expect(page == Array(whole.dropFirst(offset).prefix(limit)), "\(client.id) \(offset)+\(limit)")
                }
            }
            #expect(entries >= 15 && emails >= 3, "\(entries) entries, \(emails) with an email")
            // Newest first; at one second, the activities before the email.
            let whole = try postgres.timeline(clientID: first.id, offset: 0, limit: 10_000)
            #expect(whole.first?.at.timeIntervalSince1970 == tied + 60 && whole.first?.activity == nil)
            let atTie = whole.filter { $0.at.timeIntervalSince1970 == tied }
            #expect(atTie.count >= 2 && atTie.first?.activity != nil && atTie.last?.activity == nil)
            #expect(atTie.last?.email?.messageID == "<directory-0@example>")
            #expect(try postgres.timeline(clientID: "no-such-client", offset: 0, limit: 5).isEmpty)

            var queries = [
                "a", "A", "e", "%", "_", "\\", "@", ".example", "  ", "zzz-nothing", "100%", first.name.uppercased(),
                String(first.id.prefix(3)),
            ]
            queries +=
                try sqlite.snapshot(clientID: first.id, activitiesSince: Date())?.contacts.compactMap(\.email)
                .map { String($0.prefix(5)).uppercased() } ?? []
            var found = 0
            for query in queries {
                for limit in [50, 2, Int.max] {
                    let expected = try sqlite.findClients(matching: query, limit: limit)
                    #expect(try postgres.findClients(matching: query, limit: limit) == expected, "'\(query)' \(limit)")
                    found += expected.count
                }
            }
            #expect(found > clients.count)
            #expect(try postgres.findClients(matching: first.name.uppercased(), limit: 50).contains(first))
        }
    }
}
