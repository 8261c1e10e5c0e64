import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

/// Support tickets through the runtime: imported from the Zendesk fixture into the demo accounts, analysed with the
/// offline provider, answered by a pending reply draft, and seen only by those who may see their client.
@Suite("Support service")
struct SupportServiceTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tickets/zendesk-tickets.csv").path

    /// The demo accounts with the fixture's tickets, the clock moved to 2026-12-03 (the fixture's last days).
    static func world() async throws -> CRMTestWorld {
        let world = try await CRMTestWorld.demo()
        world.clock.advance(ISO8601DateFormatter().date(from: "2026-12-03T12:00:00Z")!.timeIntervalSince(CRMTestWorld.start))
        let outcome = try world.runtime.support.importFile(fixture, as: .anonymous)
        #expect(outcome.created == 6)
        return world
    }

    static func ticket(_ world: CRMTestWorld, subject: String) throws -> SupportTicket {
        try #require(try world.runtime.support.list(as: .anonymous).first { $0.subject == subject })
    }

    @Test("analysis stores sentiment, urgency and topics with its event, skips what it may not read, and moves health")
    func analyse() async throws {
        let world = try await Self.world()
        let before = try #require(try world.runtime.health.score(clientIDs: ["acme"], as: .anonymous).first).score
        let results = try await world.runtime.support.analyse(as: .anonymous)
        // Six tickets: the one without a client is not taken, Stark Energy withheld consent.
        #expect(results.count == 5)
        #expect(results.contains { $0.note?.contains("has not consented") == true })
        let invoice = try Self.ticket(world, subject: "Invoice charged twice")
        let analysis = try #require(invoice.analysis)
        #expect(analysis.isNegative)
        #expect(analysis.topics.contains("billing"))
        #expect(analysis.prompt == "analysis.inbound-email@2")
        let events = try world.runtime.events.list(kinds: [.ticketAnalysed], as: .anonymous)
        #expect(events.count == 4)
        #expect(events.allSatisfy { !$0.payload.contains("charged") })
        let after = try #require(try world.runtime.health.score(clientIDs: ["acme"], as: .anonymous).first).score
        let support = try #require(after.factors.first { $0.name == "support" })
        #expect(support.explanation.contains("negative support tickets"))
        #expect(after.score < before.score)
        // A second pass has nothing left to read.
        #expect(try await world.runtime.support.analyse(as: .anonymous).filter { $0.analysis != nil }.isEmpty)
    }

    @Test("a reply is a pending support-reply draft linked to its ticket; an unlinked ticket is refused")
    func reply() async throws {
        let world = try await Self.world()
        let invoice = try Self.ticket(world, subject: "Invoice charged twice")
        let draft = try await world.runtime.support.reply(to: invoice.id!, hint: "we are checking with billing", as: .anonymous)
        #expect(draft.kind == .supportReply)
        #expect(draft.status == .pending)
        #expect(draft.promptID == "draft.support-reply")
        #expect(draft.original.subject == "Re: Invoice charged twice")
        #expect(try world.runtime.support.ticket(invoice.id!, as: .anonymous).replyDraftID == draft.id)
        // Regenerating the reply writes it again from the ticket, which then points at the new draft.
        let again = try await world.runtime.drafts.regenerate(draft.id, as: .anonymous)
        #expect(again.kind == .supportReply && again.original.subject == "Re: Invoice charged twice")
        #expect(try world.runtime.support.ticket(invoice.id!, as: .anonymous).replyDraftID == again.id)
        #expect(try world.runtime.drafts.draft(draft.id, as: .anonymous).status == .rejected)
        // The superseded reply has no ticket any more: regenerating it is a wrong state (409), not a bad request.
        let superseded = try await #require(throws: RuntimeError.self) {
            _ = try await world.runtime.drafts.regenerate(draft.id, as: .anonymous)
        }
        #expect(superseded.kind == .wrongState && superseded.code == "draft.reply-superseded")
        let stranger = try Self.ticket(world, subject: "API sync fails")
        let error = try await #require(throws: RuntimeError.self) {
            _ = try await world.runtime.support.reply(to: stranger.id!, hint: nil, as: .anonymous)
        }
        #expect(error.code == "ticket.unlinked")
    }

    @Test("a member sees the tickets of the clients they own; another's ticket and an unlinked one are not found")
    func scope() async throws {
        let world = try await Self.world()
        let leo = ActingUser("leo")  // owns initech
        let sven = ActingUser("sven")  // owns hooli
        let initech = try Self.ticket(world, subject: "How do I export the monthly report?")
        let stranger = try Self.ticket(world, subject: "API sync fails")
        #expect(try world.runtime.support.list(as: leo).map(\.subject) == [initech.subject])
        #expect(try world.runtime.support.list(as: sven).isEmpty)
        #expect(try world.runtime.support.ticket(initech.id!, as: leo).id == initech.id)
        for (user, id) in [(sven, initech.id!), (leo, stranger.id!)] {
            let error = try #require(throws: RuntimeError.self) { _ = try world.runtime.support.ticket(id, as: user) }
            #expect(error.code == "ticket.not-found")
        }
        #expect(throws: RuntimeError.self) { _ = try world.runtime.support.insights(clientID: "initech", as: sven) }
        let insights = try world.runtime.support.insights(clientID: "initech", as: leo)
        #expect(insights.open == 0 && insights.last30Days + insights.previous30Days <= 1)
    }

    @Test("a client's email to a support address opens an analysed ticket with its events; other mail opens none")
    func emailOpensATicket() async throws {
        let store = try ClientStore.inMemory(now: { CRMTestWorld.start })
        try DemoSeeder.seedDemo(into: store, now: CRMTestWorld.start)
        var configuration = KAMConfiguration.embeddedDefaults
        configuration.support = SupportConfiguration(addresses: ["Support@OurCo.example"])
        let runtime = try await Runtime.open(
            RuntimeOptions(configuration: configuration, environment: [:], now: { CRMTestWorld.start }, ids: .sequential()),
            store: store)
        func message(to: String, id: String) -> [UInt8] {
            Array("""
                From: Jane Smith <jane.smith@acme.example>\r
                To: \(to)\r
                Subject: Invoice charged twice\r
                Message-ID: <\(id)@acme.example>\r
                Date: Mon, 21 Sep 2026 09:00:00 +0000\r
                \r
                We were charged twice for the March invoice. This is unacceptable, please refund it immediately.\r

                """.utf8)
        }
        _ = try await runtime.email.ingest(.bytes(message(to: "support@ourco.example", id: "t1")), as: .anonymous)
        _ = try await runtime.email.ingest(.bytes(message(to: "maria@ourco.example", id: "t2")), as: .anonymous)
        _ = try await runtime.email.ingest(.bytes(message(to: "support@ourco.example", id: "t1")), as: .anonymous)
        let tickets = try runtime.support.list(as: .anonymous)
        #expect(tickets.count == 1)
        let ticket = try #require(tickets.first)
        #expect(ticket.channel == .email && ticket.clientID == "acme" && ticket.contactID != nil)
        #expect(ticket.externalID == "email:<t1@acme.example>" || ticket.externalID?.hasPrefix("email:") == true)
        #expect(ticket.priority == .high)
        #expect(ticket.analysis?.isNegative == true)
        #expect(ticket.analysis?.topics.contains("billing") == true)
        let kinds = try runtime.events.list(kinds: [.ticketCreated, .ticketAnalysed], as: .anonymous).map(\.kind)
        #expect(kinds == ["ticket.created", "ticket.analysed"])
    }

    @Test("the shipped rule escalates a negative ticket of an enterprise client: the owner and the manager are told, a task is due")
    func negativeEnterpriseTicketEscalates() async throws {
        let world = try await Self.world()
        try await world.runtime.rules.catchUp()  // the demo's own events first
        _ = try await world.runtime.support.analyse(as: .anonymous)
        try await world.runtime.rules.catchUp()
        let escalations = try world.runtime.rules.log(rule: "support-escalation", status: .fired, as: .anonymous).items
        // acme and umbrella are enterprise clients with a negative ticket; globex (professional) is not escalated.
        #expect(Set(escalations.map(\.clientID)) == ["acme", "umbrella"])
        let inbox = try world.runtime.inbox.list(of: "maria", as: .anonymous)
        #expect(inbox.contains { $0.title == "Acme Manufacturing: a support ticket reads negative" })
        let tasks = try world.runtime.sqliteStore!.snapshot(clientID: "acme", activitiesSince: world.now)?.pendingTasks ?? []
        #expect(tasks.contains { $0.title == "Answer the negative support ticket of Acme Manufacturing" && $0.priority == .high })
    }
}
