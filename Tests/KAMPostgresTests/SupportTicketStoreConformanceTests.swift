import Foundation
import KAMCore
import KAMStore
import KAMTesting
import Testing

@testable import KAMPostgres

/// The support tickets' store, written once and run against SQLite and PostgreSQL: every method of
/// `SupportTicketStoring`, how an import links and updates tickets, the listings' filters and order, the events of
/// each write, and two processes importing one file at once.
///
/// A PostgreSQL case without a server is skipped with the reason (`PostgresTestServer`), and fails under CI.
@Suite("Support ticket store conformance")
struct SupportTicketStoreConformanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// A ticket as a help desk's file gives it, created `minutes` after `t0`.
    static func entry(
        _ external: String?, client: String? = nil, requester: String? = nil, organization: String? = nil,
        status: TicketStatus = .open, minutes: Double = 0, subject: String = "Cannot log in",
        body: String = "Since Monday"
    ) -> TicketImportEntry {
        TicketImportEntry(
            ticket: SupportTicket(
                clientID: nil, externalID: external, requester: requester, organization: organization,
                subject: subject, body: body, status: status, priority: .high, tags: ["login", "größe"],
                createdAt: t0.addingTimeInterval(minutes * 60)),
            client: client, location: "tickets.csv:\(external ?? "-")")
    }

    /// The company domain of an email host: `globex.example` for its subdomains, nothing for the rest.
    static func companyDomain(_ host: String) -> String? {
        host.hasSuffix("globex.example") ? "globex.example" : nil
    }

    /// Seven tickets, each linked a different way or not at all.
    static let file = [
        entry("zd:1", client: "acme", minutes: 1),
        entry("zd:2", client: "INITECH", minutes: 2),
        entry("zd:3", requester: "JANE.SMITH@acme.example", minutes: 3),
        entry("zd:4", organization: "gLoBeX", status: .solved, minutes: 4),
        entry("zd:5", requester: "someone@sub.GLOBEX.example", minutes: 5),
        entry("zd:6", requester: "x@gmail.com", status: .new, minutes: 6),
        entry(nil, minutes: 6, subject: "A \"quoted\" \\ Größe 🚀 line\u{2028}break", body: HostileTextBody.text),
    ]

    static func analysis(_ sentiment: Double) -> TicketAnalysis {
        TicketAnalysis(
            sentiment: sentiment, urgency: .high, intent: .complaint, topics: ["login"], analysedAt: t0,
            prompt: "analysis.inbound-email@1")
    }

    @Test(
        "an import links each ticket as SQLite does, round-trips it, and logs one event a ticket",
        arguments: StoreBackend.allCases)
    func importAndLink(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            let (store, other) = (world.handles[0].tickets, world.handles[1].tickets)
            let outcome = try store.importTickets(Self.file, companyDomain: Self.companyDomain, at: Self.t0)
            #expect(
                outcome
                    == TicketImportOutcome(
                        created: 7, unlinked: 2,
                        links: [
                            "client id": 1, "client name": 1, "contact email": 1, "organization name": 1,
                            "email domain": 1,
                        ]))
            let all = try other.list(TicketFilter(), limit: 100)
            #expect(all.map(\.externalID) == [nil, "zd:6", "zd:5", "zd:4", "zd:3", "zd:2", "zd:1"])
            let byExternal = Dictionary(uniqueKeysWithValues: all.compactMap { t in t.externalID.map { ($0, t) } })
            #expect(byExternal["zd:1"]?.clientID == "acme" && byExternal["zd:1"]?.link == "client id")
            #expect(byExternal["zd:2"]?.clientID == "initech" && byExternal["zd:2"]?.link == "client name")
            #expect(byExternal["zd:3"]?.clientID == "acme" && byExternal["zd:3"]?.contactID == 1)
            #expect(byExternal["zd:4"]?.clientID == "globex" && byExternal["zd:4"]?.link == "organization name")
            #expect(byExternal["zd:5"]?.clientID == "globex" && byExternal["zd:5"]?.link == "email domain")
            #expect(byExternal["zd:6"]?.clientID == nil && byExternal["zd:6"]?.link == nil)
            // Every field comes back as written, the hostile text byte for byte.
            let hostile = try #require(all.first)
            var expected = Self.file[6].ticket
            expected.id = hostile.id
            #expect(hostile == expected)
            let hostileID = try #require(hostile.id)
            #expect(try store.ticket(id: hostileID) == hostile)
            #expect(try store.ticket(id: 999_999) == nil)
            #expect(
                try await world.events("ticket.").map { $0.components(separatedBy: " ")[0] }
                    == Array(repeating: "ticket.created", count: 7))
            #expect(try await world.events("ticket.").first?.hasSuffix(" acme") == true)
        }
    }

    @Test(
        "a second import updates what changed, leaves the rest, and clears an analysis whose text changed",
        arguments: StoreBackend.allCases)
    func reimport(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            let (store, other) = (world.handles[0].tickets, world.handles[1].tickets)
            _ = try store.importTickets(Array(Self.file.prefix(3)), companyDomain: Self.companyDomain, at: Self.t0)
            let ids = try store.list(TicketFilter(), limit: 10).compactMap(\.id).sorted()
            _ = try store.setAnalysis(id: ids[0], Self.analysis(-0.5))
            _ = try store.setAnalysis(id: ids[2], Self.analysis(0.5))
            let again = [
                Self.entry("zd:1", client: "acme", status: .solved, minutes: 1),
                Self.entry("zd:2", client: "INITECH", minutes: 2),
                Self.entry("zd:3", requester: "JANE.SMITH@acme.example", minutes: 3, body: "Still broken"),
            ]
            let outcome = try other.importTickets(again, companyDomain: Self.companyDomain, at: Self.t0)
            #expect(outcome == TicketImportOutcome(updated: 2, unchanged: 1))
            let first = try #require(try store.ticket(id: ids[0]))
            #expect(first.status == .solved && first.analysis == Self.analysis(-0.5))
            let third = try #require(try store.ticket(id: ids[2]))
            #expect(third.body == "Still broken" && third.analysis == nil && third.clientID == "acme")
            #expect(
                try await world.events("ticket.") == [
                    "ticket.created \(ids[0]) acme", "ticket.created \(ids[1]) initech",
                    "ticket.created \(ids[2]) acme",
                    "ticket.analysed \(ids[0]) acme", "ticket.analysed \(ids[2]) acme",
                    "ticket.status-changed \(ids[0]) acme",
                ])
        }
    }

    @Test("an import with a write that fails stores nothing", arguments: StoreBackend.allCases)
    func importIsAllOrNothing(kind: StoreBackend) async throws {
        // The closure's type is spelled out: no `try` outside a macro precedes the first `#expect(throws:)`.
        try await kind.withWorld(InboxWorld.self) { (world: InboxWorld) async throws in
            var broken = Self.entry("zd:9", requester: "x@gmail.com", minutes: 9)
            broken.ticket.contactID = 999  // no such contact: its foreign key refuses the row
            let file = [Self.entry("zd:1", client: "acme"), broken]
            #expect(throws: (any Error).self) {
                try world.first.tickets.importTickets(file, companyDomain: Self.companyDomain, at: Self.t0)
            }
            #expect(try world.first.tickets.list(TicketFilter(), limit: 10).isEmpty)
            #expect(try await world.events("ticket.").isEmpty)
        }
    }

    @Test("the listings' filters, order, limit and scope", arguments: StoreBackend.allCases)
    func filters(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            let store = world.first.tickets
            _ = try store.importTickets(Self.file, companyDomain: Self.companyDomain, at: Self.t0)
            func external(_ filter: TicketFilter, limit: Int = 100) throws -> [String] {
                try world.handles[1].tickets.list(filter, limit: limit).map { $0.externalID ?? "-" }
            }
            #expect(try external(TicketFilter(clientID: "acme")) == ["zd:3", "zd:1"])
            #expect(try external(TicketFilter(status: .solved)) == ["zd:4"])
            #expect(try external(TicketFilter(openOnly: true)) == ["-", "zd:6", "zd:5", "zd:3", "zd:2", "zd:1"])
            #expect(try external(TicketFilter(unlinkedOnly: true)) == ["-", "zd:6"])
            #expect(try external(TicketFilter(ownerIDs: ["u1"])) == ["zd:3", "zd:1"])
            #expect(try external(TicketFilter(ownerIDs: ["u1", "u2"]), limit: 3) == ["zd:5", "zd:4", "zd:3"])
            #expect(try external(TicketFilter(ownerIDs: [])).isEmpty)
            #expect(try external(TicketFilter(clientID: "globex", status: .open, openOnly: true)) == ["zd:5"])
            #expect(try external(TicketFilter(), limit: -1).count == 7)
            let ids = try store.list(TicketFilter(clientID: "acme"), limit: 10).compactMap(\.id)
            _ = try store.setAnalysis(id: ids[0], Self.analysis(0))
            #expect(try external(TicketFilter(clientID: "acme", unanalysedOnly: true)) == ["zd:1"])

            // Opened since a time, or still open, newest first: the solved globex ticket only when recent enough.
            let globex = { (since: Double) in
                try store.recentOrOpen(clientID: "globex", since: Self.t0.addingTimeInterval(since * 60), limit: 10)
                    .map { $0.externalID ?? "-" }
            }
            #expect(try globex(0) == ["zd:5", "zd:4"])
            #expect(try globex(4.5) == ["zd:5"])
            #expect(try store.recentOrOpen(clientID: "globex", since: Self.t0, limit: 1).count == 1)
            #expect(try store.recentOrOpen(clientID: "no-such-client", since: Self.t0, limit: 10).isEmpty)
        }
    }

    @Test(
        "an analysis and a reply draft are stored and read back; a missing ticket is nil",
        arguments: StoreBackend.allCases)
    func analysisAndReply(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            let (store, other) = (world.handles[0].tickets, world.handles[1].tickets)
            _ = try store.importTickets(Array(Self.file.prefix(2)), companyDomain: Self.companyDomain, at: Self.t0)
            let id = try #require(try store.list(TicketFilter(clientID: "acme"), limit: 1).first?.id)
            let analysed = try #require(try other.setAnalysis(id: id, Self.analysis(-0.75)))
            #expect(analysed.analysis == Self.analysis(-0.75) && analysed.id == id && analysed.clientID == "acme")
            #expect(try store.ticket(id: id) == analysed)
            #expect(try other.setAnalysis(id: 999_999, Self.analysis(0)) == nil)

            try other.setReplyDraft(id: id, draftID: "draft-7")
            #expect(try store.ticket(replyDraftID: "draft-7")?.id == id)
            #expect(try store.ticket(replyDraftID: "draft-8") == nil)
            try other.setReplyDraft(id: 999_999, draftID: "draft-9")
            #expect(try store.ticket(replyDraftID: "draft-9") == nil)
            #expect(try await world.events("ticket.analysed") == ["ticket.analysed \(id) acme"])
        }
    }

    @Test(
        "of imports of one file racing over two handles, every ticket is created once, with one event",
        arguments: StoreBackend.allCases)
    func importsRace(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            let file = (0..<20).map {
                Self.entry("race:\($0)", requester: "JANE.SMITH@acme.example", minutes: Double($0))
            }
            let outcomes = await OnThreads.values(6) { index in
                Result {
                    try world.handles[index % 2].tickets.importTickets(
                        file, companyDomain: Self.companyDomain, at: Self.t0)
                }
            }
            let done = outcomes.compactMap { try? $0.get() }
            try #require(done.count == 6, "\(outcomes)")
            #expect(done.map(\.created).sorted() == [0, 0, 0, 0, 0, 20])
            #expect(done.filter { $0.created == 0 }.allSatisfy { $0.unchanged == 20 })
            #expect(try world.first.tickets.list(TicketFilter(), limit: 100).count == 20)
            #expect(try await world.events("ticket.created").count == 20)
        }
    }
}
