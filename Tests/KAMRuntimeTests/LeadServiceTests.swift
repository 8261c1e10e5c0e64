import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

/// Leads by hand over the demo accounts: create with source and value, update through the lifecycle, the list's
/// filters (worked out by hand for three new leads beside the demo's eight), the refusals and the scope.
@Suite struct LeadServiceTests {
    /// Three new leads of leo's: a referral worth 100, an event worth 500 and a website lead worth 1,000 EUR.
    static func world() async throws -> CRMTestWorld {
        let world = try await CRMTestWorld.demo()
        let leo = ActingUser("leo")
        try world.runtime.leads.create(LeadService.Entry(name: "Alpha Lead", source: .referral, value: 100), as: leo)
        try world.runtime.leads.create(
            LeadService.Entry(name: "Beta Lead", source: .event, sourceDetail: "  Hannover Messe ", value: 500), as: leo)
        try world.runtime.leads.create(
            LeadService.Entry(name: "Gamma Lead", status: .contacted, source: .website, value: 1_000, currency: "eur"), as: leo)
        return world
    }

    @Test func aCreatedLeadIsAProspectWithItsSourceValueAndOwnerInOneWrite() async throws {
        let world = try await Self.world()
        let beta = try world.runtime.leads.lead(clientID: "beta-lead", as: ActingUser("leo"))
        #expect(beta.status == .new && beta.owner == "leo" && beta.details?.source == .event)
        #expect(beta.details?.sourceDetail == "Hannover Messe" && beta.details?.value == 500 && beta.details?.currency == "USD")
        // Encoded flat, as the API's Lead: the details' fields beside the lead's own, not their client id or time.
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(beta)) as? [String: Any])
        #expect(json.keys.sorted() == ["bant", "client", "currency", "name", "owner", "source", "source_detail", "status", "transitions", "value"])
        #expect(json["source_detail"] as? String == "Hannover Messe" && json["value"] as? Double == 500)
        #expect(try world.runtime.client("beta-lead").lifecycle == .prospect)
        let gamma = try world.runtime.leads.lead(clientID: "gamma-lead", as: .anonymous)
        #expect(gamma.status == .contacted && gamma.details?.currency == "EUR")
        #expect(try world.runtime.client("gamma-lead").currency == "EUR", "the lead's value is in the client's currency")
        let events = try EventRepository(store: world.runtime.sqliteStore!).events(after: 0, kinds: ["lead.updated"], clientID: "beta-lead")
        #expect(events.count == 1)
        #expect(events.first?.payload.contains(#""fields":["source","source_detail","value","currency"]"#) == true)
    }

    @Test func anUpdateChangesTheDetailsAndMovesTheStatusWithItsTransition() async throws {
        let world = try await Self.world()
        world.clock.advance(days: 1)
        let write = try world.runtime.leads.update(
            "alpha-lead", LeadService.Fields(value: 250, status: .qualified, reason: "budget confirmed"), as: ActingUser("leo"))
        #expect(write.lead.details?.value == 250 && write.lead.details?.currency == "USD" && write.lead.details?.source == .referral)
        let move = try #require(write.leadTransition)
        #expect(move.from == .new && move.to == .qualified && !move.automatic && move.reason == "budget confirmed (by leo)")
        #expect(try world.runtime.leads.lead(clientID: "alpha-lead", as: .anonymous).transitions == [move])
        #expect(try world.runtime.client("alpha-lead").leadStatus == .qualified)
        // Emptying the value drops its currency; emptying everything leaves no details.
        let cleared = try world.runtime.leads.update(
            "alpha-lead", LeadService.Fields(clearing: [.value, .source]), as: ActingUser("leo"))
        #expect(cleared.lead.details == nil)
        #expect(try LeadRepository(store: world.runtime.sqliteStore!).details(clientID: "alpha-lead") == nil)
    }

    @Test func refusalsNameTheFieldAndStoreNothing() async throws {
        let world = try await Self.world()
        let leo = ActingUser("leo")
        let cases: [(LeadService.Fields, String, String)] = [
            (LeadService.Fields(value: -1), "lead.invalid-value", "value -1.0 is negative"),
            (LeadService.Fields(value: .nan), "lead.invalid-value", "not a number"),
            (LeadService.Fields(currency: "euro"), "lead.invalid-currency", "currency 'euro'"),
            (LeadService.Fields(sourceDetail: "   "), "lead.invalid-source-detail", "source_detail is blank"),
            (LeadService.Fields(sourceDetail: String(repeating: "x", count: 201)), "lead.invalid-source-detail", "201 characters"),
            (LeadService.Fields(), "lead.nothing-to-change", "nothing to change on lead 'alpha-lead'"),
        ]
        for (fields, code, words) in cases {
            let error = #expect(throws: RuntimeError.self) { try world.runtime.leads.update("alpha-lead", fields, as: leo) }
            #expect(error?.code == code && error?.kind == .invalidInput)
            #expect(error?.message.contains(words) == true, "\(error?.message ?? "")")
        }
        #expect(try world.runtime.leads.lead(clientID: "alpha-lead", as: leo).details?.value == 100)
        let negative = #expect(throws: RuntimeError.self) {
            try world.runtime.leads.create(LeadService.Entry(name: "Delta Lead", value: -5), as: leo)
        }
        #expect(negative?.code == "lead.invalid-value")
        #expect(try world.runtime.sqliteStore!.client(id: "delta-lead") == nil)
        let range = #expect(throws: RuntimeError.self) {
            try world.runtime.leads.list(LeadService.Query(maxScore: 101), page: PageRequest(), as: leo)
        }
        #expect(range?.code == "lead.invalid-range" && range?.message.contains("max_score") == true)
        // A lower bound above its upper one is no error: it matches nothing.
        #expect(try world.runtime.leads.list(LeadService.Query(minValue: 10, maxValue: 5), page: PageRequest(), as: leo).items.isEmpty)
    }

    @Test func theListFiltersByStatusSourceOwnerScoreAndValueAndPages() async throws {
        let world = try await Self.world()
        func ids(_ query: LeadService.Query, as user: ActingUser = .anonymous, limit: Int = 50) throws -> [String] {
            try world.runtime.leads.list(query, page: PageRequest(limit: limit), as: user).items.map(\.client)
        }
        #expect(try ids(LeadService.Query(source: .event)) == ["beta-lead"])
        #expect(try ids(LeadService.Query(minValue: 200, maxValue: 800)) == ["beta-lead"])
        #expect(try ids(LeadService.Query(minValue: 500)) == ["beta-lead", "gamma-lead"])
        #expect(try ids(LeadService.Query(status: .contacted, maxValue: 5_000)) == ["gamma-lead"])
        // The new leads meet no BANT criterion (score 0); every demo lead meets at least three (75 or more).
        #expect(try ids(LeadService.Query(maxScore: 0)) == ["alpha-lead", "beta-lead", "gamma-lead"])
        #expect(try ids(LeadService.Query(minScore: 1)).count == 8)
        #expect(try ids(LeadService.Query(owner: "leo")) == ["alpha-lead", "beta-lead", "gamma-lead", "initech"])
        // Pages of two: the first has a cursor to the second.
        let first = try world.runtime.leads.list(LeadService.Query(owner: "leo"), page: PageRequest(limit: 2), as: .anonymous)
        #expect(first.items.map(\.client) == ["alpha-lead", "beta-lead"])
        let second = try world.runtime.leads.list(
            LeadService.Query(owner: "leo"), page: try PageRequest(limit: 2, cursor: first.next), as: .anonymous)
        #expect(second.items.map(\.client) == ["gamma-lead", "initech"] && second.next == nil)
        // sven (another team's member) sees only his own: none of leo's leads.
        #expect(try ids(LeadService.Query(), as: ActingUser("sven")) == ["hooli"])
    }

    @Test func anotherTeamsMemberNeitherReadsNorChangesALead() async throws {
        let world = try await Self.world()
        let sven = ActingUser("sven")
        for attempt in [
            { _ = try world.runtime.leads.lead(clientID: "alpha-lead", as: sven) },
            { _ = try world.runtime.leads.update("alpha-lead", LeadService.Fields(value: 1), as: sven) },
        ] as [() throws -> Void] {
            let error = #expect(throws: RuntimeError.self) { try attempt() }
            #expect(error?.code == "client.not-found")
        }
        #expect(try world.runtime.leads.lead(clientID: "alpha-lead", as: ActingUser("tom")).details?.value == 100, "leo's manager sees it")
    }

    @Test func theStatisticsCountTheLeadsBySource() async throws {
        let world = try await Self.world()
        let stats = try world.runtime.leads.statistics(as: ActingUser("leo"))
        // leo sees initech (no source) and his three new leads.
        #expect(stats.leads == 4)
        let counts = Dictionary(uniqueKeysWithValues: stats.bySource.map { ($0.source?.rawValue ?? "none", $0.count) })
        #expect(counts["referral"] == 1 && counts["event"] == 1 && counts["website"] == 1 && counts["none"] == 1)
        #expect(stats.bySource.map(\.estimatedValue).reduce(0, +) == 1_600)
    }
}
