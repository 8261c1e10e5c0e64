import Foundation
import KAMCore
import KAMResources
import KAMRuntime
import KAMStore
import Testing

@testable import KAMPostgres

/// The client memory read path on PostgreSQL: the demo store (with an analysed email and a campaign added, so every
/// part of a snapshot has rows) copied into PostgreSQL by `StoreCopy` (its client memory tables) gives, for every client, the snapshot SQLite
/// gives, and resolves CLIENT arguments as SQLite does.
@Suite("Client memory on SQLite and PostgreSQL")
struct ClientMemoryConformanceTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let day = 86_400.0

    /// A SQLite file with the demo accounts and tickets, one ingested email analysed by the offline model, and a
    /// campaign some demo contacts opened and clicked.
    static func demoStore(at path: String) async throws -> ClientStore {
        let store = try ClientStore.open(path: path, now: { now })
        try DemoSeeder.seedDemo(into: store, now: now)
        _ = try DemoSeeder.seedTickets(into: SupportTicketRepository(writer: store.writer), now: now)
        // More tickets for globex than a snapshot holds (200), three at each time, open and closed, over 400 days:
        // the snapshot's limit, its order among equal times and its window are compared too.
        let statuses: [TicketStatus] = [.open, .solved, .closed, .pending, .new, .hold]
        let many = (0..<240).map { n in
            TicketImportEntry(
                ticket: SupportTicket(
                    clientID: nil, externalID: "conformance:ticket:\(n)", requester: "li.wei@globex.example",
                    subject: "Ticket \(n)", body: "Body \(n)", status: statuses[n % statuses.count],
                    priority: .normal, tags: [], createdAt: now.addingTimeInterval(-Double(n / 3) * 5 * day)),
                client: "globex", location: "conformance ticket \(n)")
        }
        _ = try SupportTicketRepository(writer: store.writer).importTickets(many, companyDomain: { _ in nil }, at: now)
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: KAMConfiguration.embeddedDefaults,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { now }, ids: .sequential()),
            store: store)
        // Sent a day before `now`.
        let message = """
            From: jane.smith@acme.example
            To: maria.lopez@kam.example
            Subject: Renewal
            Message-ID: <conformance-1@acme.example>
            Date: Sun, 20 Sep 2026 14:13:20 +0000

            Honestly the renewal is too expensive. We are thinking of switching to Initrode.
            """
        _ = try await runtime.email.ingest(.bytes(Array(message.utf8)), as: .anonymous)
        await runtime.close()

        func sent(_ offset: Double) -> String { ImportDate.dateTime(now.addingTimeInterval(offset * day)) }
        let emails = try store.listClients().flatMap { client in
            try store.snapshot(clientID: client.id, activitiesSince: now)?.contacts.compactMap(\.email) ?? []
        }
        var report = "Email Address,Campaign ID,Campaign Title,Send Time,Opens,Clicks,Bounce,Clicked URLs\n"
        for (index, email) in emails.prefix(8).enumerated() {
            report += "\(email),c1,Spring,\(sent(-10)),\(index % 3),\(index % 2),,"
                + (index % 2 == 1 ? "https://kam.example/pricing;https://kam.example/blog" : "") + "\n"
            report += "\(email),c2,Winter,\(sent(-80)),1,0,\(index == 0 ? "hard" : ""),\n"
        }
        _ = try CampaignImporter(store: store, domains: try CompanyDomains.bundled())
            .importCSV(Data(report.utf8), file: "conformance.csv", vendor: .mailchimp)
        return store
    }

    @Test("every client's snapshot and every resolution are the same from the copy in PostgreSQL")
    func sameAnswers() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kam-memory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await PostgresTestServer.open(schema: PostgresTestServer.freshSchema())
        let sqlite = try await Self.demoStore(at: folder.appendingPathComponent("demo.sqlite").path)
        do {
            let copied = try StoreCopy.copy(from: sqlite, to: database, only: Set(PostgresSchema.memoryTables)).rows
            #expect(copied.keys.sorted() == PostgresSchema.memoryTables.sorted())
            #expect((copied["inbound_emails"] ?? 0) > 0 && (copied["campaign_recipients"] ?? 0) > 0)
            #expect((copied["support_tickets"] ?? 0) > 0 && (copied["deal_stage_history"] ?? 0) > 0)
            let postgres = PostgresClientMemory(store: database)

            let clients = try sqlite.listClients()
            #expect(clients.count >= 5)
            var findings = 0
            var touches = 0
            var fullTickets = 0
            for client in clients {
                for days in [0.0, 7, 30, 365, 10_000] {
                    let since = Self.now.addingTimeInterval(-days * Self.day)
                    let expected = try #require(try sqlite.snapshot(clientID: client.id, activitiesSince: since))
                    let actual = try postgres.snapshot(clientID: client.id, activitiesSince: since)
                    #expect(actual == expected, "client \(client.id) since \(days) days")
                    findings += expected.modelFindings.count
                    touches += expected.campaignTouches.count
                    if expected.tickets.count == 200 { fullTickets += 1 }
                }
            }
            // Every part of a snapshot was compared with rows in it.
            #expect(findings > 0 && touches > 0)
            #expect(fullTickets > 0, "a snapshot held its limit of tickets")
            #expect(try postgres.snapshot(clientID: "no-such-client", activitiesSince: Self.now) == nil)

            var queries = ["", "  ", "no-such-client", "Acme Manufactoring", "zzzz", "wayn", "nobody@nowhere.example"]
            for client in clients {
                queries += [client.id, client.id.uppercased(), client.name, client.name.uppercased(), client.name.lowercased()]
                queries += [client.externalID, client.domain, client.domain.map { "someone@" + $0.uppercased() }]
                    .compactMap { $0 }
                let contacts = try #require(try sqlite.snapshot(clientID: client.id, activitiesSince: Self.now)).contacts
                queries += contacts.compactMap(\.email).flatMap { [$0, $0.uppercased()] }
            }
            var kinds: Set<String> = []
            for query in queries {
                let expected = try sqlite.resolveClient(query)
                #expect(try postgres.resolveClient(query) == expected, "query '\(query)'")
                switch expected {
                case .found(_, let match): kinds.insert(match.rawValue)
                case .ambiguous: kinds.insert("ambiguous")
                case .notFound(let suggestions): kinds.insert(suggestions.isEmpty ? "none" : "suggestions")
                }
            }
            #expect(kinds.isSuperset(of: ["id", "name", "contact-email", "email-domain", "suggestions", "none"]), "\(kinds)")

            // A second copy into the same place is refused and changes nothing.
            let refused = #expect(throws: RuntimeError.self) {
                try StoreCopy.copy(from: sqlite, to: database, only: Set(PostgresSchema.memoryTables))
            }
            #expect(refused?.code == "copy.target-not-empty")
            #expect(try database.load { try $0.counts(PostgresSchema.memoryTables) } == copied)
            // The identities moved past the copied ids: a new row takes the next one.
            let largest = try await database.strings("SELECT MAX(id)::text FROM contacts")
            let next = try await database.strings(
                "INSERT INTO contacts (client_id, name, role) VALUES ('\(clients[0].id)', 'New', 'user') RETURNING id::text")
            #expect(Int(next.first ?? "") == (Int(largest.first ?? "") ?? 0) + 1)
        } catch {
            try? await PostgresTestServer.drop(database)
            throw error
        }
        try await PostgresTestServer.drop(database)
    }
}
