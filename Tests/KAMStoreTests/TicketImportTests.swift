import Foundation
import GRDB
import KAMCore
import KAMTesting
import Testing

@testable import KAMStore

/// A help desk's export: every row checked first (file, line, field), tickets linked to clients, a second import
/// updating rather than duplicating, every write with its event.
@Suite("Support ticket import")
struct TicketImportTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tickets/zendesk-tickets.csv")

    /// A store with three clients: acme (a contact jane@acme.example), globex (domain globex.example), and
    /// "Initech Software" found by name.
    static func store() throws -> (ClientStore, SupportTicketRepository) {
        let store = try ClientStore.inMemory(now: { now })
        let document = ImportDocument(clients: [
            .init(id: "acme", name: "Acme Manufacturing", domain: "acme.example", contacts: [
                .init(name: "Jane Smith", email: "Jane.Smith@acme.example", role: .decisionMaker),
            ]),
            .init(id: "globex", name: "Globex Logistics", domain: "globex.example"),
            .init(id: "initech", name: "Initech Software", domain: "initech.example"),
        ])
        _ = try ClientImporter(store: store).importDocument(document)
        return (store, SupportTicketRepository(writer: store.writer))
    }

    static func csv(_ rows: [String]) -> [UInt8] {
        Array((["Id,Subject,Description,Status,Priority,Requester email,Organization,Tags,Created at,Updated at"] + rows)
            .joined(separator: "\n").utf8)
    }

    @Test("tickets are linked by contact email, organization name and company domain; free mail and strangers stay unlinked")
    func linking() throws {
        let (store, tickets) = try Self.store()
        let file = try TicketFile.read(Self.csv([
            "1,Invoice twice,Charged twice,Open,High,jane.smith@ACME.example,,billing,2026-11-28T09:15:00Z,",
            "2,Login,Cannot sign in,New,Urgent,ops@globex.example,,,2026-12-01,",
            "3,Report,How do I export?,Solved,Low,someone@gmail.com,Initech Software,,2026-11-20,2026-11-21",
            "4,Stranger,Who are you,Open,Normal,x@unknown-corp.example,Nobody Inc,,2026-11-20,",
            "5,Free mail,Hello,Open,Normal,friend@gmail.com,,,2026-11-20,",
        ]), file: "t.csv", json: false)
        let outcome = try tickets.importTickets(file, domains: try CompanyDomains.bundled(), at: Self.now)
        #expect(outcome.created == 5)
        #expect(outcome.unlinked == 2)
        #expect(outcome.links == ["contact email": 1, "email domain": 1, "organization name": 1])
        let stored = try tickets.list(.init(), limit: 10).sorted { $0.externalID! < $1.externalID! }
        #expect(stored.map(\.clientID) == ["acme", "globex", "initech", nil, nil])
        #expect(stored[0].contactID != nil)
        #expect(stored[0].priority == .high && stored[0].tags == ["billing"])
        #expect(stored[2].status == .solved)
        #expect(try tickets.list(.init(unlinkedOnly: true)).count == 2)
        // Each new ticket appended its event, in the same transaction.
        let events = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT kind FROM events WHERE kind LIKE 'ticket.%'")
        }
        #expect(events == Array(repeating: "ticket.created", count: 5))
    }

    @Test("a second import updates status, priority and text, appends ticket.status-changed, and clears a stale analysis")
    func reimport() throws {
        let (store, tickets) = try Self.store()
        let domains = try CompanyDomains.bundled()
        _ = try tickets.importTickets(
            try TicketFile.read(Self.csv(["7,Broken,It is broken,Open,Normal,jane.smith@acme.example,,,2026-11-28,"]), file: "t.csv", json: false),
            domains: domains, at: Self.now)
        let id = try #require(try tickets.list(.init()).first?.id)
        let analysis = TicketAnalysis(sentiment: -0.5, urgency: .high, intent: .complaint, topics: ["defect"], analysedAt: Self.now, prompt: "p@1")
        _ = try tickets.setAnalysis(id: id, analysis)
        let same = try tickets.importTickets(
            try TicketFile.read(Self.csv(["7,Broken,It is broken,Open,Normal,jane.smith@acme.example,,,2026-11-28,"]), file: "t.csv", json: false),
            domains: domains, at: Self.now)
        #expect(same.unchanged == 1 && same.created == 0)
        #expect(try tickets.ticket(id: id)?.analysis == analysis)
        let moved = try tickets.importTickets(
            try TicketFile.read(
                Self.csv(["7,Broken,It is broken badly,Solved,High,jane.smith@acme.example,,,2026-11-28,2026-11-30"]), file: "t.csv",
                json: false),
            domains: domains, at: Self.now)
        #expect(moved.updated == 1)
        let ticket = try #require(try tickets.ticket(id: id))
        #expect(ticket.status == .solved && ticket.priority == .high && ticket.analysis == nil)
        let events = try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, payload FROM events WHERE kind LIKE 'ticket.%' ORDER BY id")
                .map { ($0["kind"] as String, $0["payload"] as String) }
        }
        #expect(events.map(\.0) == ["ticket.created", "ticket.analysed", "ticket.status-changed"])
        #expect(events[2].1.contains("\"from\":\"open\"") && events[2].1.contains("\"to\":\"solved\""))
        // The payloads carry states, never the ticket's text.
        #expect(!events.contains { $0.1.contains("broken") })
    }

    @Test("bad rows are refused with their line and field, and nothing is stored", arguments: [
        ("8,,,Open,Normal,a@b.example,,,2026-11-28,", 2, "ticket.subject"),
        ("8,Subject,Body,Archived,Normal,a@b.example,,,2026-11-28,", 2, "ticket.status"),
        ("8,Subject,Body,Open,P1,a@b.example,,,2026-11-28,", 2, "ticket.priority"),
        ("8,Subject,Body,Open,Normal,a@b.example,,,yesterday,", 2, "ticket.created_at"),
        (",Subject,Body,Open,Normal,a@b.example,,,2026-11-28,", 2, "ticket.external_id"),
        ("8,Subject,Body,Open,Normal,not-an-address,,,2026-11-28,", 2, "ticket.requester_email"),
    ])
    func refusals(row: String, line: Int, field: String) throws {
        let (_, tickets) = try Self.store()
        let error = try #require(throws: ImportError.self) {
            _ = try TicketFile.read(Self.csv([row]), file: "t.csv", json: false)
        }
        #expect(error.code == .invalidRows)
        #expect(error.issues.first?.line == line)
        #expect(error.issues.first?.field == field)
        #expect(error.description.contains("t.csv:\(line)"))
        #expect(try tickets.list(.init()).isEmpty)
    }

    @Test("a mapping naming a column the header lacks is refused at line 1; an unknown target at its field")
    func mappingErrors() throws {
        let mapping = TicketMapping(name: "mine", fields: TicketMapping.zendesk.fields.merging(["ticket.subject": "Title"]) { $1 })
        let error = try #require(throws: ImportError.self) {
            _ = try TicketFile.read(Self.csv([]), file: "t.csv", json: false, mapping: mapping)
        }
        #expect(error.code == .invalidMapping && error.issues.first?.field == "Title")
        let unknown = TicketMapping(name: "mine", fields: TicketMapping.zendesk.fields.merging(["ticket.colour": "X"]) { $1 })
        #expect(throws: ImportError.self) { try unknown.validate(file: "m.yaml") }
    }

    @Test("a JSON API export is read with Zendesk's field names; a bad ticket is named by its index")
    func json() throws {
        let good = """
            {"tickets": [{"id": 91, "subject": "Slow", "description": "Very slow", "status": "open", "priority": "high",
              "requester": {"email": "jane.smith@acme.example"}, "tags": ["perf", "web"], "created_at": "2026-11-30T10:00:00Z"}]}
            """
        let file = try TicketFile.read(Array(good.utf8), file: "t.json", json: true)
        #expect(file.entries.count == 1)
        #expect(file.entries[0].ticket.externalID == "json:91")
        #expect(file.entries[0].ticket.requester == "jane.smith@acme.example")
        #expect(file.entries[0].ticket.tags == ["perf", "web"])
        let bad = #"{"tickets": [{"id": 1, "subject": "a", "created_at": "2026-01-01"}, {"id": 2, "subject": "b", "created_at": "soon"}]}"#
        let error = try #require(throws: ImportError.self) { _ = try TicketFile.read(Array(bad.utf8), file: "t.json", json: true) }
        #expect(error.issues.first?.field == "tickets[1].created_at")
    }

    @Test("the shipped Zendesk fixture imports through the built-in mapping")
    func zendeskFixture() throws {
        let (_, tickets) = try Self.store()
        let bytes = try [UInt8](Data(contentsOf: Self.fixture))
        let outcome = try tickets.importTickets(
            try TicketFile.read(bytes, file: "zendesk-tickets.csv", json: false), domains: try CompanyDomains.bundled(), at: Self.now)
        #expect(outcome.created == 6)
        #expect(outcome.links["contact email"] == 1)
        #expect(outcome.links["email domain"] == 1)
    }
}
