import Foundation
import KAMCore
import KAMTesting
import Testing

extension InboundEmailStoreConformanceTests {
    /// A message from Jane of Acme with its own Message-ID.
    static func janeWrites(_ number: Int) -> [UInt8] {
        Array(
            """
            From: Jane Smith <jane.smith@acme.example>\r
            To: maria@kam.example\r
            Subject: Question \(number)\r
            Date: Mon, 09 Mar 2026 10:0\(number):00 +0000\r
            Message-ID: <q\(number)@acme.example>\r
            \r
            Could you send the figures for question \(number)?\r

            """.utf8)
    }

    @Test(
        "the intake over its two stores: four emails of a new lead from two processes store four and move the lead once",
        arguments: StoreBackend.allCases)
    func intakeMovesTheLeadOnce(kind: StoreBackend) async throws {
        try await kind.withWorld(InboxWorld.self) { world in
            try await world.execute("UPDATE clients SET lead_status = 'new' WHERE id = 'acme'")
            let intakes = world.handles.map { handle in
                EmailIntake(
                    store: EmailIntakeStores(emails: handle.emails, leads: handle.leads), memory: handle.memory,
                    tokenCounter: WordCounter(), analysis: nil, acknowledgment: nil,
                    now: { Date(timeIntervalSince1970: 1_773_050_400) }, makeDraftID: { "d-" + UUID().uuidString })
            }
            let outcomes = try await withThrowingTaskGroup(of: EmailIntakeOutcome.self) { group in
                for number in 1...4 {
                    group.addTask { try await intakes[number % intakes.count].ingest(.raw(Self.janeWrites(number))) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.map(\.status) == Array(repeating: EmailIntakeStatus.new, count: 4))
            #expect(outcomes.filter { $0.leadTransition != nil }.count == 1)
            #expect(try await world.strings("SELECT lead_status FROM clients WHERE id = 'acme'") == ["contacted"])
            #expect(try await world.count("lead_transitions") == 1)
            #expect(try await world.events("lead.") == ["lead.status-changed acme acme"])
            #expect(try await world.count("inbound_emails") == 4)
            #expect(try await world.events("email.").count == 4)
        }
    }
}
