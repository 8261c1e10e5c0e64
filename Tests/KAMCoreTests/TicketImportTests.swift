import Foundation
import Testing

@testable import KAMCore

/// The store-independent steps of a ticket import (`TicketImport`): what is merged, written, linked and counted.
@Suite("Ticket import: merge, link, insert, count")
struct TicketImportTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func ticket(_ external: String?, id: Int64? = nil, status: TicketStatus = .open, body: String = "b")
        -> SupportTicket
    {
        SupportTicket(
            id: id, clientID: id == nil ? nil : "acme", externalID: external, subject: "s", body: body, status: status,
            createdAt: t0,
            analysis: id == nil
                ? nil
                : TicketAnalysis(
                    sentiment: -1, urgency: .low, intent: .question, topics: [], analysedAt: t0, prompt: "p@1"))
    }

    @Test("a new text clears the analysis; a new status keeps it; the client and link stay")
    func merged() {
        let stored = Self.ticket("zd:1", id: 7)
        let moved = TicketImport.merged(stored, with: Self.ticket("zd:1", status: .solved))
        #expect(moved.status == .solved && moved.analysis == stored.analysis && moved.clientID == "acme")
        #expect(moved.id == 7)
        let rewritten = TicketImport.merged(stored, with: Self.ticket("zd:1", body: "new text"))
        #expect(rewritten.body == "new text" && rewritten.analysis == nil)
        #expect(TicketImport.merged(stored, with: Self.ticket("zd:1")) == stored)
    }

    @Test("known tickets are updated only when changed, new ones linked or counted unlinked, then inserted")
    func run() throws {
        let stored = ["zd:1": Self.ticket("zd:1", id: 1), "zd:2": Self.ticket("zd:2", id: 2)]
        var inserted: [SupportTicket] = []
        var updated: [(SupportTicket, SupportTicket)] = []
        let entries = [
            TicketImportEntry(ticket: Self.ticket("zd:1", status: .solved), location: "1"),
            TicketImportEntry(ticket: Self.ticket("zd:2"), location: "2"),
            TicketImportEntry(ticket: Self.ticket("zd:3"), client: "acme", location: "3"),
            TicketImportEntry(ticket: Self.ticket(nil), location: "4"),
        ]
        let outcome = try TicketImport.run(
            entries, stored: { stored[$0] },
            link: { $0.client.map { TicketImport.Link(clientID: $0, reason: "client id") } },
            insert: { inserted.append($0) }, update: { updated.append(($0, $1)) })
        #expect(
            outcome == TicketImportOutcome(created: 2, updated: 1, unchanged: 1, unlinked: 1, links: ["client id": 1]))
        #expect(updated.map(\.0.status) == [.solved] && updated.map(\.1) == [stored["zd:1"]!])
        #expect(inserted.map(\.externalID) == ["zd:3", nil])
        #expect(inserted.map(\.clientID) == ["acme", nil] && inserted.map(\.link) == ["client id", nil])
    }
}
