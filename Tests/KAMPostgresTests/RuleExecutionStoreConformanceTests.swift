import Foundation
import KAMCore
import KAMTesting
import Testing

/// The rules' log and writes (`RuleExecutionStoring`), written once and run against SQLite and PostgreSQL, with the
/// same event handled by two handles (two processes) and firings racing within a cooldown, which only the stores'
/// unique key and locks keep to one.
@Suite("Rule execution store conformance")
struct RuleExecutionStoreConformanceTests {
    static let t0 = GrowthWorld.start

    static func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    static let clock: @Sendable () -> Date = { t0 }

    static func request(
        _ rule: String = "renewal-watch", cause: String = "event:1", client: String = "acme",
        status: RuleExecution.Status = .fired, writes: [(String, RuleWrite)] = [], chain: RuleChain? = nil,
        cooldownDays: Int = 0, at seconds: TimeInterval = 0
    ) -> RuleExecutionRequest {
        RuleExecutionRequest(
            execution: RuleExecution(
                rule: rule, cause: cause, eventID: 1, clientID: client, chainRoot: chain?.root,
                chainDepth: chain?.depth ?? 0, status: status,
                conditions: [.init(field: "health_below", expected: "< 60", actual: "58", passed: true)],
                startedAt: at(seconds), durationMilliseconds: 1.5),
            writes: writes.map { (action: $0.0, write: $0.1) }, chain: chain, cooldownDays: cooldownDays)
    }

    static let notify: (String, RuleWrite) = (
        "notify u1", .notification(userID: "u1", title: "Renewal", body: "acme renews soon")
    )

    /// How many rows `table` has, read as text by both stores.
    static func count(_ world: GrowthWorld, _ table: String) async throws -> Int {
        Int(try await world.strings("SELECT CAST(COUNT(*) AS TEXT) FROM \(table)").first ?? "") ?? -1
    }

    @Test(
        "a fired execution makes each write with its outcome, logs them, and stamps their events with its chain",
        arguments: StoreBackend.allCases)
    func writes(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            let writes: [(String, RuleWrite)] = [
                Self.notify,
                ("task", .task(ClientTask(clientID: "acme", title: "Call acme", priority: .high, assignee: "u1"))),
                ("contacted", .leadStatus(.contacted)),
                ("contacted again", .leadStatus(.contacted)),
                ("owner", .assignOwner(userID: "u2")),
                ("plan", .planItem(userID: "u1", clientName: "acme", title: "Call", reason: "renewal")),
                ("webhook", .webhook(name: "crm")),
                ("score", .note("lead score 62", ok: true)),
                ("elsewhere", .task(ClientTask(clientID: "nobody", title: "Lost"))),
                ("enrich", .acceptEnrichment(fields: [.industry], minConfidence: 0.8)),
            ]
            let stored = try #require(try world.rules.record([Self.request(writes: writes)], clock: Self.clock).first)
            let execution = try #require(stored)
            #expect(execution.status == .fired && execution.durationMilliseconds == 1.5)
            #expect(
                execution.actions.map { "\($0.action): \($0.outcome) \($0.detail)" } == [
                    "notify u1: done notification 1 for u1",
                    "task: done task 1 for u1",
                    "contacted: done lead status new -> contacted",
                    "contacted again: skipped the lead status is already contacted",
                    "owner: skipped already owned by u1",
                    "plan: skipped u1 has no stored daily plan",
                    "webhook: done event 4 rule.webhook",
                    "score: done lead score 62",
                    "elsewhere: failed no client has id 'nobody'; `kam clients list` shows the ids",
                    "enrich: skipped no pending proposal of industry with confidence 0.8 or more",
                ])
            #expect(try world.rules.log(
                rule: nil, clientIDs: nil, clientID: nil, status: nil, since: nil, limit: 50, offset: 0) == [execution])
            // A run without an event roots its chain at the first event its writes appended, one deep.
            let stamps = "SELECT kind || ' ' || COALESCE(CAST(chain_root AS TEXT), '-') || ' ' || CAST(chain_depth AS TEXT) "
                + "FROM events ORDER BY id"
            #expect(
                try await world.strings(stamps) == [
                    "notification.created 1 1", "task.created 1 1", "lead.status-changed 1 1", "rule.webhook 1 1",
                ])

            // Under a chain: the events are stamped one deeper in it; an owner given to a client that has none.
            let chained = Self.request(
                "assign", cause: "event:4", client: "initech", writes: [("owner", .assignOwner(userID: "u2"))],
                chain: RuleChain(root: 1, depth: 1))
            let assigned = try #require(try world.rules.record([chained], clock: Self.clock).first ?? nil)
            #expect(assigned.actions.map(\.detail) == ["owner u2"])
            #expect(try await world.strings(stamps).last == "client.owner-assigned 1 2")
            #expect(try await world.strings("SELECT owner_id FROM clients WHERE id = 'initech'") == ["u2"])
        }
    }

    @Test(
        "once a rule, cause and client; a chain or a cooldown stops it; a skipped rule writes nothing; fires says so",
        arguments: StoreBackend.allCases)
    func stops(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            let rules = world.rules
            let first = Self.request(writes: [Self.notify], cooldownDays: 7)
            #expect(try rules.fires(first))
            #expect(try rules.record([first], clock: Self.clock).first??.status == .fired)
            #expect(try rules.record([first], clock: Self.clock) == [nil])
            #expect(try !rules.fires(first))

            let later = Self.request(cause: "event:2", writes: [Self.notify], cooldownDays: 7, at: 86_400)
            #expect(try !rules.fires(later))
            let cooled = try #require(try rules.record([later], clock: Self.clock).first ?? nil)
            #expect(cooled.status == .cooldown && cooled.actions.isEmpty)
            #expect(cooled.stopReason == "fired \(UTCTimestamp.dateTime(Self.t0)), within 7 days")
            let after = Self.request(cause: "event:3", writes: [Self.notify], cooldownDays: 7, at: 8 * 86_400)
            #expect(try rules.fires(after))

            let root = RuleChain(root: 9, depth: 1)
            let inChain = Self.request("chained", cause: "event:10", writes: [Self.notify], chain: root)
            #expect(try rules.record([inChain], clock: Self.clock).first??.status == .fired)
            let again = Self.request("chained", cause: "event:11", writes: [Self.notify], chain: root)
            #expect(try !rules.fires(again))
            let twice = try #require(try rules.record([again], clock: Self.clock).first ?? nil)
            #expect(twice.status == .stopped && twice.stopReason == "already-fired-in-chain")
            let deep = Self.request(
                "deep", cause: "event:12", writes: [Self.notify], chain: RuleChain(root: 9, depth: RuleChain.depthLimit))
            #expect(try rules.record([deep], clock: Self.clock).first??.stopReason == "depth-limit")

            let skipped = Self.request("quiet", cause: "event:13", status: .skipped, writes: [Self.notify])
            let quiet = try #require(try rules.record([skipped], clock: Self.clock).first ?? nil)
            #expect(quiet.status == .skipped && quiet.actions.isEmpty)
            #expect(try await Self.count(world, "notifications") == 2)
            #expect(try rules.record([], clock: Self.clock).isEmpty)
        }
    }

    @Test("the log newest first, by rule, client, clients, status and time, paged", arguments: StoreBackend.allCases)
    func log(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            let rules = world.rules
            let recorded = try rules.record(
                [
                    Self.request("a", cause: "event:1", client: "acme", at: 0),
                    Self.request("a", cause: "event:2", client: "globex", status: .skipped, at: 10),
                    Self.request("b", cause: "event:3", client: "acme", at: 20),
                    Self.request("b", cause: "event:4", client: "initech", at: 30),
                ], clock: Self.clock
            ).compactMap { $0 }
            #expect(recorded.count == 4)
            func log(
                rule: String? = nil, clientIDs: Set<String>? = nil, clientID: String? = nil,
                status: RuleExecution.Status? = nil, since: TimeInterval? = nil, limit: Int = 50, offset: Int = 0
            ) throws -> [String] {
                try rules.log(
                    rule: rule, clientIDs: clientIDs, clientID: clientID, status: status,
                    since: since.map(Self.at), limit: limit, offset: offset
                ).map(\.cause)
            }
            #expect(try log() == ["event:4", "event:3", "event:2", "event:1"])
            #expect(try rules.log(
                rule: nil, clientIDs: nil, clientID: nil, status: nil, since: nil, limit: 50, offset: 0)
                == Array(recorded.reversed()))
            #expect(try log(rule: "a") == ["event:2", "event:1"])
            #expect(try log(clientID: "acme") == ["event:3", "event:1"])
            #expect(try log(clientIDs: ["globex", "initech"]) == ["event:4", "event:2"])
            #expect(try log(clientIDs: []).isEmpty)
            #expect(try log(status: .skipped) == ["event:2"])
            #expect(try log(since: 20) == ["event:4", "event:3"])
            #expect(try log(rule: "b", clientIDs: ["acme", "globex"], status: .fired) == ["event:3"])
            #expect(try log(limit: 2, offset: 1) == ["event:3", "event:2"])
        }
    }

    @Test(
        "one event handled by 8 threads over two handles is executed once; 8 causes within a cooldown fire once",
        arguments: StoreBackend.allCases)
    func races(kind: StoreBackend) async throws {
        try await kind.withWorld(GrowthWorld.self) { world in
            let handles = world.handles
            let same = await OnThreads.results(8) { index in
                try handles[index % 2].rules.record([Self.request(writes: [Self.notify])], clock: Self.clock)
            }
            #expect(try same.map { try $0.get() }.filter { ($0.first ?? nil) != nil }.count == 1)
            #expect(try await Self.count(world, "notifications") == 1)

            let causes = await OnThreads.results(8) { index in
                try handles[index % 2].rules.record(
                    [Self.request("watch", cause: "event:\(10 + index)", writes: [Self.notify], cooldownDays: 7)],
                    clock: Self.clock)
            }
            let statuses = try causes.compactMap { try $0.get().first ?? nil }.map(\.status)
            #expect(statuses.filter { $0 == .fired }.count == 1)
            #expect(statuses.filter { $0 == .cooldown }.count == 7)
            #expect(try await Self.count(world, "notifications") == 2)
        }
    }
}
