import Foundation
import KAMCore
import KAMTesting
import Testing

/// Leads' details and enrichment proposals (`LeadStoring`, `LeadProposalStoring`), written once and run against SQLite
/// and PostgreSQL, with adds and decisions racing across two handles (two processes) that only the stores'
/// concurrency control keeps to one.
@Suite("Lead store conformance")
struct LeadStoreConformanceTests {
    static let t0 = GrowthWorld.start

    static func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    static let full = LeadDetails(
        clientID: "acme", source: .referral, sourceDetail: "Ana at the fair", value: 12_000.5, currency: "EUR",
        sizeBand: .medium, needs: ["crm", "billing"], icpScore: 72, icpReasons: ["size fits"], updatedAt: at(0))

    @Test(
        "details are saved whole, replaced, cleared when empty, with lead.updated and the move they make",
        arguments: StoreBackend.allCases)
    func saveDetails(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            let leads = world.leads
            #expect(try leads.details(clientID: "acme") == nil)
            #expect(try leads.allDetails().isEmpty)
            try leads.save(Self.full, move: nil)
            #expect(try leads.details(clientID: "acme") == Self.full)

            var changed = Self.full
            changed.value = 9_000
            changed.needs = nil
            changed.updatedAt = Self.at(60)
            let move = LeadTransition(
                clientID: "acme", from: .new, to: .contacted, automatic: false, reason: "set by hand", at: Self.at(60))
            try leads.save(changed, move: move)
            #expect(try leads.details(clientID: "acme") == changed)
            #expect(try world.health.transitions(clientID: "acme") == [move])
            let other = LeadDetails(clientID: "globex", source: .website, updatedAt: Self.at(70))
            try leads.save(other, move: nil)
            #expect(try leads.allDetails() == ["acme": changed, "globex": other])

            // Empty details remove the row.
            let cleared = LeadDetails(clientID: "globex", updatedAt: Self.at(80))
            try leads.save(cleared, move: nil)
            #expect(try leads.details(clientID: "globex") == nil)
            #expect(try leads.allDetails().keys.sorted() == ["acme"])

            // A stale move refuses the whole save; an unknown client is refused.
            var later = changed
            later.value = 1
            let stale = #expect(throws: StoreError.self) {
                try leads.save(later, move: LeadTransition(
                    clientID: "acme", from: .new, to: .lost, automatic: false, reason: "", at: Self.at(90)))
            }
            #expect(stale?.code == .invalidValue)
            #expect(try leads.details(clientID: "acme") == changed)
            let unknown = #expect(throws: StoreError.self) {
                try leads.save(LeadDetails(clientID: "nobody", source: .website, updatedAt: Self.at(0)), move: nil)
            }
            #expect(unknown?.code == .clientNotFound)
            #expect(unknown?.message == "no client has id 'nobody'; `kam leads list` shows the leads")

            let expected = [
                DomainEvent.leadUpdated(from: nil, to: Self.full), DomainEvent.leadStatusChanged(move),
                DomainEvent.leadUpdated(from: Self.full, to: changed), DomainEvent.leadUpdated(from: nil, to: other),
                DomainEvent.leadUpdated(from: other, to: cleared),
            ].compactMap { $0 }.map(GrowthWorld.line)
            #expect(try await world.events(["lead.updated", "lead.status-changed"]) == expected)
        }
    }

    static let hooli = Client(
        id: "hooli", name: "Hooli", industry: "software", currency: "EUR", ownerID: "u1", domain: "hooli.example",
        lifecycle: .prospect, leadStatus: .new, createdAt: at(-100))

    @Test("a new lead is added with its client once; a taken id, a bad owner or name is refused",
          arguments: StoreBackend.allCases)
    func addLead(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            let details = LeadDetails(
                clientID: "hooli", source: .event, value: 500, currency: "EUR", updatedAt: Self.at(0))
            #expect(try world.leads.add(Self.hooli, details: details) == Self.hooli)
            #expect(try world.leads.details(clientID: "hooli") == details)
            #expect(
                try await world.strings(
                    "SELECT name || ' ' || industry || ' ' || owner_id || ' ' || domain || ' ' || lifecycle || ' ' "
                        + "|| lead_status || ' ' || currency FROM clients WHERE id = 'hooli'")
                    == ["Hooli software u1 hooli.example prospect new EUR"])
            #expect(try world.health.leads(covers: { $0 == "u1" }).map(\.clientID) == ["acme", "hooli"])

            let taken = #expect(throws: StoreError.self) {
                try world.leads.add(Client(id: "hooli", name: "Other", createdAt: Self.at(0)), details: details)
            }
            #expect(taken?.code == .invalidValue)
            let takenMessage =
                "a client already has id 'hooli' (Hooli); change its lead with `kam leads update hooli`, or pass "
                + "another --id"
            #expect(taken?.message == takenMessage)
            let ghost = #expect(throws: StoreError.self) {
                try world.leads.add(
                    Client(id: "pied", name: "Pied Piper", ownerID: "ghost", createdAt: Self.at(0)),
                    details: LeadDetails(clientID: "pied", updatedAt: Self.at(0)))
            }
            #expect(ghost?.code == .invalidValue)
            #expect(
                ghost?.message
                    == "client 'pied': owner 'ghost' is not a user; add the user first (users list of the import)")
            let unnamed = #expect(throws: StoreError.self) {
                try world.leads.add(
                    Client(id: "pied", name: "", createdAt: Self.at(0)),
                    details: LeadDetails(clientID: "pied", updatedAt: Self.at(0)))
            }
            #expect(unnamed?.code == .invalidValue)
            #expect(try await world.strings("SELECT id FROM clients WHERE id = 'pied'").isEmpty)

            let updated = try #require(DomainEvent.leadUpdated(from: nil, to: details))
            #expect(
                try await world.events(["client.created", "lead.updated"]) == [
                    GrowthWorld.line(.clientCreated(Self.hooli, at: Self.at(0))), GrowthWorld.line(updated),
                ])
        }
    }

    @Test("8 adds of one new lead racing over two handles: exactly one adds it", arguments: StoreBackend.allCases)
    func racingAdds(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            let handles = world.handles
            let results = await OnThreads.results(8) { index in
                try handles[index % 2].leads.add(
                    Client(id: "hooli", name: "Hooli \(index)", ownerID: "u1", leadStatus: .new, createdAt: Self.at(0)),
                    details: LeadDetails(clientID: "hooli", value: Double(index), updatedAt: Self.at(0)))
            }
            let added = results.compactMap { try? $0.get() }
            #expect(added.count == 1)
            let winner = try #require(added.first)
            for case .failure(let error) in results {
                let refused = error as? StoreError
                #expect(refused?.code == .invalidValue)
                #expect(refused?.message.hasPrefix("a client already has id 'hooli' (\(winner.name));") == true)
            }
            #expect(try await world.strings("SELECT name FROM clients WHERE id = 'hooli'") == [winner.name])
            #expect(try world.leads.details(clientID: "hooli")?.value == Double(winner.name.split(separator: " ")[1]))
            #expect(try await world.events(["client.created"]).count == 1)
        }
    }

    static func proposal(_ field: LeadProposal.Field, _ value: LeadProposal.Value, confidence: Double = 0.9)
        -> LeadProposal
    {
        LeadProposal(
            clientID: "acme", field: field, value: value, source: "acme.example/about", confidence: confidence,
            prompt: "analysis.lead-enrichment@1", createdAt: at(0))
    }

    @Test(
        "proposals are stored pending, superseded by newer ones of their field, listed newest first",
        arguments: StoreBackend.allCases)
    func propose(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            let proposals = world.proposals
            let first = try proposals.propose(
                [Self.proposal(.industry, .init(text: "fintech")), Self.proposal(.needs, .init(items: ["crm"]))],
                clientID: "acme", at: Self.at(0))
            #expect(first.allSatisfy { $0.id != nil && $0.status == .pending && $0.clientID == "acme" })
            #expect(try proposals.proposals(clientID: "acme", all: false) == Array(first.reversed()))
            let second = try proposals.propose(
                [Self.proposal(.industry, .init(text: "banking"), confidence: 0.5)], clientID: "acme", at: Self.at(60))
            #expect(try proposals.proposals(clientID: "acme", all: false) == [second[0], first[1]])
            var superseded = first[0]
            superseded.status = .superseded
            superseded.decidedAt = Self.at(60)
            #expect(try proposals.proposals(clientID: "acme", all: true) == [second[0], first[1], superseded])
            #expect(try proposals.proposals(clientID: "globex", all: true).isEmpty)

            let unknown = #expect(throws: StoreError.self) {
                try proposals.propose([Self.proposal(.needs, .init(items: []))], clientID: "nobody", at: Self.at(0))
            }
            #expect(unknown?.code == .clientNotFound)
            #expect(unknown?.message == "no client has id 'nobody'; `kam clients list` shows the ids")
            #expect(
                try await world.events(["lead.enriched"]) == [
                    GrowthWorld.line(.leadEnriched(clientID: "acme", fields: [.industry, .needs], at: Self.at(0))),
                    GrowthWorld.line(.leadEnriched(clientID: "acme", fields: [.industry], at: Self.at(60))),
                ])
        }
    }

    @Test(
        "an accepted proposal is applied where it belongs, with its events; a rejected one is only kept",
        arguments: StoreBackend.allCases)
    func decide(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            let proposals = world.proposals
            try await world.execute([
                "INSERT INTO contacts (client_id, name, role) VALUES ('acme', 'Ana', 'champion')"
            ])
            try proposals.propose(
                [
                    Self.proposal(.industry, .init(text: "fintech")), Self.proposal(.sizeBand, .init(text: "51-200")),
                    Self.proposal(.needs, .init(items: ["crm"])),
                    Self.proposal(.icpFit, .init(items: ["size fits"], score: 80)),
                    Self.proposal(
                        .decisionMakers,
                        .init(people: [.init(name: "ana", title: "CFO"), .init(name: "Bo", title: "CEO")])),
                ], clientID: "acme", at: Self.at(0))
            let mark = try await world.allEvents().count

            let industry = try #require(
                try proposals.decide(clientID: "acme", field: .industry, accept: true, by: "maria", at: Self.at(10)))
            #expect(industry.status == .accepted && industry.decidedBy == "maria" && industry.decidedAt == Self.at(10))
            #expect(try await world.strings("SELECT industry FROM clients WHERE id = 'acme'") == ["fintech"])
            for field in [LeadProposal.Field.sizeBand, .needs, .icpFit] {
                _ = try #require(
                    try proposals.decide(clientID: "acme", field: field, accept: true, by: nil, at: Self.at(20)))
            }
            let details = try #require(try world.leads.details(clientID: "acme"))
            #expect(details.sizeBand == .medium && details.needs == ["crm"] && details.icpScore == 80)
            #expect(details.icpReasons == ["size fits"] && details.updatedAt == Self.at(20) && details.source == nil)
            let rejected = try #require(
                try proposals.decide(
                    clientID: "acme", field: .decisionMakers, accept: false, by: "maria", at: Self.at(30)))
            #expect(rejected.status == .rejected)
            let contacts = "SELECT name FROM contacts WHERE client_id = 'acme' ORDER BY id"
            #expect(try await world.strings(contacts) == ["Ana"])
            #expect(
                try proposals.decide(clientID: "acme", field: .industry, accept: true, by: nil, at: Self.at(40)) == nil)
            #expect(try proposals.proposals(clientID: "acme", all: false).isEmpty)
            let statuses = try proposals.proposals(clientID: "acme", all: true).map(\.status)
            #expect(statuses.filter { $0 == .accepted }.count == 4)
            let unknown = #expect(throws: StoreError.self) {
                try proposals.decide(clientID: "nobody", field: .needs, accept: true, by: nil, at: Self.at(0))
            }
            #expect(unknown?.code == .clientNotFound)

            // Decision makers not yet among the contacts (by name in any case) become contacts.
            try proposals.propose(
                [Self.proposal(.decisionMakers, .init(people: [.init(name: "ANA"), .init(name: "Cy", title: "CTO")]))],
                clientID: "acme", at: Self.at(50))
            _ = try #require(
                try proposals.decide(
                    clientID: "acme", field: .decisionMakers, accept: true, by: "tom", at: Self.at(60)))
            #expect(
                try await world.strings(
                    "SELECT name || ' ' || COALESCE(title, '-') || ' ' || role FROM contacts WHERE client_id = 'acme' "
                        + "ORDER BY id") == ["Ana - champion", "Cy CTO decision-maker"])

            let kinds = try await world.allEvents().dropFirst(mark).map { String($0.prefix { $0 != " " }) }
            #expect(
                kinds == [
                    "client.updated", "lead.proposal-decided", "lead.updated", "lead.proposal-decided", "lead.updated",
                    "lead.proposal-decided", "lead.updated", "lead.proposal-decided", "lead.proposal-decided",
                    "lead.enriched", "contact.created", "lead.proposal-decided",
                ])
            let firstDecision = try await world.events(["lead.proposal-decided"]).first
            #expect(firstDecision == GrowthWorld.line(.leadProposalDecided(industry)))
        }
    }

    @Test(
        "8 people accepting one proposal over two handles: exactly one decides it, its contacts added once",
        arguments: StoreBackend.allCases)
    func racingDecisions(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            try world.proposals.propose(
                [Self.proposal(.decisionMakers, .init(people: [.init(name: "Dee"), .init(name: "Eve")]))],
                clientID: "acme", at: Self.at(0))
            let handles = world.handles
            let results = await OnThreads.results(8) { index in
                try handles[index % 2].proposals.decide(
                    clientID: "acme", field: .decisionMakers, accept: true, by: "u\(index)", at: Self.at(10))
            }
            let decided = try results.compactMap { try $0.get() }
            #expect(decided.count == 1)
            let contacts = try await world.strings("SELECT name FROM contacts WHERE client_id = 'acme' ORDER BY id")
            #expect(contacts == ["Dee", "Eve"])
            let expected = decided.map { GrowthWorld.line(.leadProposalDecided($0)) }
            #expect(try await world.events(["lead.proposal-decided"]) == expected)
            #expect(try await world.events(["contact.created"]).count == 2)
        }
    }
}
