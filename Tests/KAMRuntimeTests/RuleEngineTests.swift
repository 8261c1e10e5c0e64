import Foundation
import GRDB
import KAMCore
import KAMResources
import KAMRuntime
import KAMStore
import KAMTesting
import Synchronization
import Testing

/// The rules engine over a store: the shipped workflows fire on fixture events and their logs explain why, a rule
/// that would loop stops (logged), a consumer killed mid-batch doubles no action, a dry run writes nothing, and the
/// inbox is each user's own.
@Suite struct RuleEngineTests {
    static let t0 = try! Date("2026-12-01T09:00:00Z", strategy: .iso8601)
    static let day = 86_400.0

    struct World {
        let runtime: Runtime
        let clock: ManualWallClock
        var store: ClientStore { runtime.sqliteStore! }

        /// The executions, oldest first, without the records of rules that did not match (`skipped`).
        func executions(_ rule: String? = nil) throws -> [RuleExecution] {
            try RuleExecutionRepository(store: store).log(rule: rule, limit: 1000).reversed().filter { $0.status != .skipped }
        }

        func count(_ sql: String) throws -> Int {
            try store.writer.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
        }
    }

    /// maria and olaf (members) and nora (their manager) in team north; acme (maria's, enterprise, renewing in 45
    /// days) and newco (nobody's); `workflows` added to the shipped rules.
    static func world(
        workflows: String? = nil, rulesFolder: String? = nil, digestFolder: String? = nil, overrides: ModelOverrides = ModelOverrides()
    ) async throws -> World {
        let clock = ManualWallClock(t0)
        let store = try ClientStore.inMemory(now: { clock.now })
        let users = UserRepository(store: store)
        try users.addTeam(Team(id: "north", name: "North", createdAt: t0))
        try users.add(UserAccount(id: "maria", name: "Maria", email: "maria@kam.test", team: "north"))
        try users.add(UserAccount(id: "olaf", name: "Olaf", email: "olaf@kam.test", team: "north"))
        try users.add(UserAccount(id: "nora", name: "Nora", email: "nora@kam.test", team: "north", role: .manager))
        try store.addClient(
            Client(id: "acme", name: "Acme", tier: .enterprise, ownerID: "maria", renewalDate: t0.addingTimeInterval(45 * day), createdAt: t0))
        try store.addClient(Client(id: "newco", name: "NewCo", leadStatus: .new, createdAt: t0))
        var configuration = KAMConfiguration.embeddedDefaults
        if let workflows { configuration.workflows = try RuleSet.parse(workflows, file: "kam.yaml") }
        configuration.notifications.digestFolder = digestFolder
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: configuration,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                rulesDirectory: rulesFolder ?? "/nonexistent/kam-rules", overrides: overrides, environment: [:], now: { clock.now },
                ids: .sequential()),
            store: store)
        // The setup's own events (clients created) are not what the tests are about.
        try await runtime.rules.catchUp()
        return World(runtime: runtime, clock: clock)
    }

    static func score(_ store: ClientStore, _ client: String, _ score: Int, at: Date) throws {
        try HealthRepository(store: store).record(HealthScore(clientID: client, score: score, factors: [], computedAt: at))
    }

    @Test func healthBelowSixtyNotifiesTheOwnerProposesAnInterventionSchedulesACheckInAndEscalates() async throws {
        let world = try await Self.world()
        try Self.score(world.store, "acme", 72, at: Self.t0)
        try await world.runtime.rules.catchUp()
        try Self.score(world.store, "acme", 55, at: Self.t0.addingTimeInterval(3600))
        try await world.runtime.rules.catchUp()

        let intervention = try #require(try world.executions("health-intervention").first)
        #expect(intervention.status == .fired)
        #expect(intervention.conditions.first == .init(field: "health_crossed_below", expected: "from >= 60 to < 60", actual: "72 -> 55", passed: true))
        #expect(intervention.actions.map(\.outcome) == ["done", "done", "skipped", "done", "done"])
        #expect(intervention.actions[0].detail.hasPrefix("notification") && intervention.actions[0].detail.hasSuffix("for maria"))
        #expect(intervention.actions[2].detail == "maria has no stored daily plan")
        #expect(intervention.actions[4].detail.hasSuffix("for nora"))  // escalated to the owner's manager

        let maria = try world.runtime.inbox.list(as: ActingUser("maria"))
        #expect(maria.contains { $0.title == "Acme: health fell to 55" && $0.rule == "health-intervention" && $0.causeEventID == intervention.eventID })
        #expect(try world.runtime.inbox.list(as: ActingUser("nora")).contains { $0.title == "Escalation: Acme health fell to 55" })
        let suggestion = try #require(try SuggestionRepository(store: world.store).pending(clientID: "acme", type: .intervention, now: world.clock.now).first)
        #expect(suggestion.reasoning.contains("health_crossed_below 72 -> 55"))
        #expect(try world.store.tasks(clientID: "acme").contains { $0.title == "Check in with Acme (health 55)" && $0.assignee == "maria" && $0.priority == .high })

        // The alerts on the same event: a 17-point drop, and a renewal in 45 days with health now below 70.
        #expect(try world.executions("health-drop-alert").map(\.status) == [.fired])
        #expect(try world.executions("renewal-risk-on-health-change").first?.conditions.map(\.actual) == ["in 45 days", "72 -> 55"])
        // The workflow's own events (a suggestion, a task, notifications) are one action deep in the score's chain.
        let written = try EventRepository(store: world.store).events(after: intervention.eventID!).filter { $0.chainDepth == 1 }
        #expect(!written.isEmpty && written.allSatisfy { $0.chainRoot == intervention.eventID })
        // A re-score further below does not cross 60 again: the workflow does not fire twice.
        try Self.score(world.store, "acme", 50, at: Self.t0.addingTimeInterval(7200))
        try await world.runtime.rules.catchUp()
        #expect(try world.executions("health-intervention").count == 1)
    }

    @Test func aNewContactIsScoredItsClientGivenTheLeastLoadedOwnerAndOutreachScheduled() async throws {
        let world = try await Self.world()
        try world.store.addContact(Contact(clientID: "newco", name: "Pat", email: "pat@newco.test", role: .decisionMaker))
        try await world.runtime.rules.catchUp()
        let run = try #require(try world.executions("new-contact-outreach").first)
        #expect(run.actions.map(\.outcome) == ["done", "done", "done"])
        #expect(run.actions[0].detail.hasPrefix("lead score "))
        #expect(run.actions[1].detail == "owner olaf")  // maria owns acme; olaf owns nothing
        #expect(try world.store.client(id: "newco")?.ownerID == "olaf")
        #expect(try world.store.tasks(clientID: "newco").map(\.assignee) == ["olaf"])
        #expect(try EventRepository(store: world.store).events(after: 0, kinds: ["client.owner-assigned"]).count == 1)
    }

    @Test func aCSVImportStartsRulesOnClientAndContactCreationOncePerImportedClientAndNoneOnItsActivities() async throws {
        let world = try await Self.world(
            workflows: """
                rules:
                  - {name: welcome, on: [client.created], do: [{task: "Welcome {client}"}]}
                  - {name: people, on: [contact.created], do: [{task: "Meet the people of {client}"}]}
                  - {name: each-activity, on: [activity.logged, task.created], do: [{notify: owner}]}
                  - {name: on-import, on: [client.imported], do: [{notify: owner}]}
                """)
        let file = WorkbenchCSV(rows: 30, companies: 6)
        _ = try world.runtime.imports.importCSV(Data(file.text.utf8), file: "crm.csv", mapping: .workbench, as: .anonymous)
        try await world.runtime.rules.catchUp()
        let clients = Set((0..<6).map { "company\($0)" })
        for rule in ["welcome", "people", "on-import"] {
            let fired = try world.executions(rule).filter { $0.clientID.hasPrefix("company") }  // not the setup's acme and newco
            #expect(fired.count == 6, "\(rule)")
            #expect(Set(fired.map(\.clientID)) == clients, "\(rule)")
            #expect(fired.allSatisfy { $0.status == .fired }, "\(rule)")
        }
        // The import's activities and tasks are history: the rule on them never started on the import's events (not
        // even a skipped record), only on the tasks the rules above wrote (chain depth 1).
        let started = try RuleExecutionRepository(store: world.store).log(rule: "each-activity", limit: 1000)
        #expect(!started.isEmpty && started.allSatisfy { $0.chainDepth == 1 })

        // The same file again creates nothing: no rule starts on creation again.
        _ = try world.runtime.imports.importCSV(Data(file.text.utf8), file: "crm.csv", mapping: .workbench, as: .anonymous)
        try await world.runtime.rules.catchUp()
        #expect(try world.executions("welcome").filter { $0.clientID.hasPrefix("company") }.count == 6)
        #expect(try world.executions("on-import").count == 6)
    }

    @Test func ordersUpByHalfMakeAnExpansionOpportunityOnceASlotThenCoolDown() async throws {
        let world = try await Self.world()
        try world.store.upsertOrder(Order(clientID: "acme", product: "seats", amount: 100, orderedAt: Self.t0.addingTimeInterval(-40 * Self.day)))
        try world.store.upsertOrder(Order(clientID: "acme", product: "seats", amount: 180, orderedAt: Self.t0.addingTimeInterval(-3 * Self.day)))
        #expect(try await world.runtime.rules.runScheduled(.healthRecompute, slot: Self.t0) == 1)
        let run = try #require(try world.executions("expansion-opportunity").first)
        #expect(run.cause == "schedule:health-recompute@2026-12-01T09:00:00Z")
        #expect(run.conditions.first?.actual == "+80%")
        #expect(run.actions.map(\.outcome) == ["done", "done", "done", "done", "done"])  // suggest, three notified, webhook
        #expect(try SuggestionRepository(store: world.store).pending(clientID: "acme", type: .upsell, now: world.clock.now).count == 1)
        for user in ["maria", "olaf", "nora"] {
            #expect(try world.runtime.inbox.list(as: ActingUser(user)).contains { $0.title == "Expansion signal: Acme orders +80%" })
        }
        #expect(try EventRepository(store: world.store).events(after: 0, kinds: ["rule.webhook"]).count == 1)
        // The same slot again executes nothing; the next day's slot is within the 30-day cooldown.
        #expect(try await world.runtime.rules.runScheduled(.healthRecompute, slot: Self.t0) == 0)
        world.clock.advance(days: 1)
        #expect(try await world.runtime.rules.runScheduled(.healthRecompute, slot: Self.t0.addingTimeInterval(Self.day)) == 0)
        #expect(try world.executions("expansion-opportunity").map(\.status) == [.fired, .cooldown])
        // The scheduled rules that did not match the other clients logged nothing (only rules on events log skips).
        #expect(try world.runtime.rules.log(status: .skipped, as: .anonymous).items.allSatisfy { !$0.cause.hasPrefix("schedule:") })
    }

    @Test func aRuleThatWouldLoopStopsAndTheLogSaysWhy() async throws {
        let world = try await Self.world(
            workflows: """
                rules:
                  - name: echo
                    on: [task.created]
                    do:
                      - task: "Echo for {client}"
                """)
        try world.store.addTask(ClientTask(clientID: "acme", title: "Call", status: .open, priority: .medium, assignee: "maria"))
        try await world.runtime.rules.catchUp()
        let log = try world.executions("echo")
        #expect(log.map(\.status) == [.fired, .stopped])
        #expect(log[1].stopReason == "already-fired-in-chain")
        #expect(log[1].chainRoot == log[0].eventID && log[1].chainDepth == 1)
        #expect(try world.store.tasks(clientID: "acme").map(\.title).sorted() == ["Call", "Echo for Acme"])
    }

    @Test func aChainOfDistinctRulesStopsAtTheDepthLimit() async throws {
        // task.created -> webhook -> notification -> suggestion -> task.created again, each a different rule: the
        // fourth action's event is RuleChain.depthLimit deep and fires nothing.
        let world = try await Self.world(
            workflows: """
                rules:
                  - {name: one, on: [task.created], do: [{webhook: hop}]}
                  - {name: two, on: [rule.webhook], do: [{notify: owner}]}
                  - {name: three, on: [notification.created], do: [{suggest: escalate}]}
                  - {name: four, on: [suggestion.created], do: [{task: "Hop {client}"}]}
                  - {name: five, on: [task.created], do: [{webhook: never}]}
                """)
        try world.store.addTask(ClientTask(clientID: "acme", title: "Start", status: .open, priority: .medium))
        try await world.runtime.rules.catchUp()
        let log = try world.executions().filter { ["one", "two", "three", "four", "five"].contains($0.rule) }
        let fired = log.filter { $0.status == .fired }.map { "\($0.rule)@\($0.chainDepth)" }
        #expect(fired == ["one@0", "five@0", "two@1", "three@2", "four@3"])
        // `two` starts on both webhooks of the first step, but fires once per client in a chain.
        let stopped = log.filter { $0.status == .stopped }.map { "\($0.rule)@\($0.chainDepth): \($0.stopReason ?? "")" }
        #expect(stopped == ["two@1: already-fired-in-chain", "one@4: depth-limit", "five@4: depth-limit"])
        #expect(try world.store.tasks(clientID: "acme").map(\.title).sorted() == ["Hop Acme", "Start"])
    }

    /// The rules consumer, dying (throwing) when it reaches the event `crashAt`, after the events before it.
    struct DyingRules: EventConsumer {
        let engine: RuleEngine
        let crashAt: Int64
        var name: String { engine.name }
        struct Crash: Error {}

        func handle(_ event: StoredEvent) async throws {
            if event.id == crashAt { throw Crash() }
            try await engine.handle(event)
        }
    }

    @Test func aRulesConsumerKilledMidBatchDoublesNoActionAfterARestart() async throws {
        let world = try await Self.world()
        for (n, score) in [72, 55, 40].enumerated() { try Self.score(world.store, "acme", score, at: Self.t0.addingTimeInterval(Double(n) * 60)) }
        try world.store.addContact(Contact(clientID: "newco", name: "Pat", role: .decisionMaker))
        let events = try EventRepository(store: world.store).events(after: try EventRepository(store: world.store).cursor(of: "rules", now: Self.t0))
        let dying = DyingRules(engine: try RuleEngine(runtime: world.runtime), crashAt: events.last!.id)
        await #expect(throws: DyingRules.Crash.self) { try await world.runtime.events.consume(dying, limit: 100) }
        let executed = "SELECT COUNT(*) FROM rule_executions WHERE status != 'skipped'"
        let before = (try world.count("SELECT COUNT(*) FROM notifications"), try world.count("SELECT COUNT(*) FROM tasks"),
                      try world.count(executed))
        #expect(before.0 > 0 && before.2 > 0)
        // Restarted: the whole batch comes again; the handled events' actions are not made twice, the last one's once.
        try await world.runtime.rules.catchUp()
        #expect(try world.count("SELECT COUNT(*) FROM notifications") == before.0)
        #expect(try world.count("SELECT COUNT(*) FROM tasks") == before.1 + 1)  // newco's outreach, once
        #expect(try world.count(executed) == before.2 + 1)
        let logged = try world.count("SELECT COUNT(*) FROM rule_executions")
        try await world.runtime.rules.catchUp()
        #expect(try world.count("SELECT COUNT(*) FROM rule_executions") == logged)
    }

    @Test func aRuleThatDoesNotMatchIsLoggedAsSkippedWithTheConditionsThatFailedAndRetentionDeletesTheRecord() async throws {
        let world = try await Self.world()
        try Self.score(world.store, "acme", 72, at: Self.t0)
        try await world.runtime.rules.catchUp()
        // A first score of 72 crosses nothing: health-intervention started and did not match.
        let skipped = try world.runtime.rules.log(rule: "health-intervention", client: "acme", status: .skipped, as: .anonymous).items
        let record = try #require(skipped.first)
        #expect(skipped.count == 1)
        #expect(record.stopReason == "failed: health_crossed_below" && record.actions.isEmpty)
        #expect(record.conditions.map(\.field) == ["health_crossed_below", "lifecycle"])
        #expect(record.conditions.map(\.passed) == [false, true])
        #expect(record.conditions[0].actual == "first score 72" && record.cause == "event:\(record.eventID ?? 0)")

        // The fall to 55 fires it; its intervention suggestion starts competitor-mention-alert, whose event: condition
        // fails: recorded with that condition alone.
        try Self.score(world.store, "acme", 55, at: Self.t0.addingTimeInterval(60))
        try await world.runtime.rules.catchUp()
        #expect(try world.runtime.rules.log(rule: "health-intervention", status: .fired, as: .anonymous).items.count == 1)
        let refusals = try world.runtime.rules.log(rule: "competitor-mention-alert", as: .anonymous).items
        #expect(refusals.map(\.status) == [.skipped, .skipped])  // the renewal-risk suggestion's, then the intervention's
        let refused = try #require(refusals.last)
        #expect(refused.stopReason == "failed: event")
        #expect(refused.conditions == [.init(field: "event", expected: "type = competitor-mention", actual: "type = intervention", passed: false)])
        #expect(refused.chainDepth == 1)

        // Handled again, nothing is recorded twice; a member sees only their clients' records.
        let logged = try world.count("SELECT COUNT(*) FROM rule_executions")
        try EventRepository(store: world.store).advance("rules", to: 0, now: world.clock.now)
        try await world.runtime.rules.catchUp()
        #expect(try world.count("SELECT COUNT(*) FROM rule_executions") == logged)
        #expect(try world.runtime.rules.log(status: .skipped, as: ActingUser("olaf")).items.isEmpty)
        #expect(try !world.runtime.rules.log(status: .skipped, as: ActingUser("maria")).items.isEmpty)

        // The retention policy deletes skipped records after their window; the executions that fired stay.
        let fired = try world.count("SELECT COUNT(*) FROM rule_executions WHERE status = 'fired'")
        #expect(fired == 3)  // health-intervention, health-drop-alert, renewal-risk-on-health-change
        world.clock.advance(days: 29)
        #expect(try world.runtime.retention.apply(as: .anonymous).outcome.skippedRulesDeleted == 0)
        world.clock.advance(days: 2)
        let sweep = try world.runtime.retention.apply(as: .anonymous)
        #expect(sweep.policy.skippedRulesDays == 30 && sweep.outcome.skippedRulesDeleted == logged - fired)
        #expect(try world.count("SELECT COUNT(*) FROM rule_executions") == fired)
    }

    @Test func aDraftActionWritesAPendingDraftThroughTheModelAndABudgetRefusalLeavesASuggestion() async throws {
        let workflows = """
            rules:
              - {name: draft-on-drop, on: [health.changed], when: {health_below: 60}, do: [{draft: check-in, hint: "ask how the rollout goes"}]}
            """
        let world = try await Self.world(workflows: workflows)
        try Self.score(world.store, "acme", 50, at: Self.t0)
        try await world.runtime.rules.catchUp()
        let run = try #require(try world.executions("draft-on-drop").first)
        let drafts = try world.runtime.drafts.list(clientID: "acme", as: .anonymous)
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1 && draft.status == .pending && draft.kind == .checkIn && draft.hint == "ask how the rollout goes")
        #expect(run.status == .fired && run.actions.map(\.outcome) == ["done"])
        #expect(run.actions[0].detail.hasPrefix("draft \(draft.id) pending"), "\(run.actions)")
        // The offline model's call is metered for acme; the draft's event is one action deep in the score's chain;
        // no suggestion proposes the draft, and nothing is sent.
        #expect(try await world.runtime.usage.totals(by: .client).first { $0.key == "acme" }?.calls == 1)
        let created = try EventRepository(store: world.store).events(after: 0, kinds: ["draft.created"])
        #expect(created.count == 1 && created[0].chainDepth == 1 && created[0].chainRoot == run.eventID)
        #expect(try world.count("SELECT COUNT(*) FROM suggestions WHERE type = 'next-best-action'") == 0)
        #expect(try world.count("SELECT COUNT(*) FROM events WHERE kind = 'draft.sent'") == 0)
        // Handled again: the execution exists, so the model is not called a second time.
        try EventRepository(store: world.store).advance("rules", to: 0, now: world.clock.now)
        try await world.runtime.rules.catchUp()
        #expect(try await world.runtime.usage.totals().first?.calls == 1)
        #expect(try world.runtime.drafts.list(clientID: "acme", as: .anonymous).count == 1)

        // A priced model under a budget too small for the call: the action fails with the reason, no draft is
        // stored, and a suggestion proposes the draft instead.
        let priced = try await Self.world(workflows: workflows, overrides: ModelOverrides(provider: "openai", model: "gpt-4o-mini"))
        try await priced.runtime.budgets.set(Budget(scope: .global, period: .day, amount: Money(dollars: "0.0001")!), as: .anonymous)
        try Self.score(priced.store, "acme", 50, at: Self.t0)
        try await priced.runtime.rules.catchUp()
        let refused = try #require(try priced.executions("draft-on-drop").first)
        #expect(refused.status == .fired && refused.actions.map(\.outcome) == ["failed"])
        #expect(refused.actions[0].detail.hasPrefix("no draft: [budget.exceeded]"), "\(refused.actions)")
        #expect(refused.actions[0].detail.hasSuffix("proposes it instead"))
        #expect(try priced.runtime.drafts.list(clientID: "acme", as: .anonymous).isEmpty)
        let fallback = try #require(
            try SuggestionRepository(store: priced.store).pending(clientID: "acme", type: .nextBestAction, now: priced.clock.now).first)
        #expect(fallback.action == .draft(kind: .checkIn, hint: "ask how the rollout goes"))
        #expect(try await priced.runtime.usage.totals().first?.refused == 1)
    }

    @Test func aDryRunShowsTheConditionsAndActionsAndWritesNothing() async throws {
        let world = try await Self.world()
        let event = RuleEvent(
            id: 0, kind: "health.changed", clientID: "acme", payload: ["score": .int(52), "previous_score": .int(64)],
            occurredAt: Self.t0)
        let events = try world.count("SELECT COUNT(*) FROM events")
        let test = try await world.runtime.rules.test("health-intervention", event: event, dryRun: true)
        #expect(test.triggered && test.evaluation.matched)
        #expect(test.evaluation.actions.first == .notify(.owner, title: "Acme: health fell to 52", body: "Health went from 64 to 52. An intervention suggestion and a check-in task are waiting."))
        #expect(test.execution == nil)
        #expect(try world.count("SELECT COUNT(*) FROM events") == events)
        #expect(try world.count("SELECT COUNT(*) FROM rule_executions") == 0)
        await #expect(throws: RuntimeError.self) { try await world.runtime.rules.test("no-such-rule", event: event, dryRun: true) }
        // Without --dry-run the match is executed and logged.
        let run = try await world.runtime.rules.test("health-intervention", event: event, dryRun: false)
        #expect(run.execution?.cause == "test@2026-12-01T09:00:00Z")
        #expect(try world.count("SELECT COUNT(*) FROM notifications") == 2)
    }

    @Test func anInboxIsItsUsersOwn() async throws {
        let world = try await Self.world()
        try Self.score(world.store, "acme", 72, at: Self.t0)
        try Self.score(world.store, "acme", 55, at: Self.t0)
        try await world.runtime.rules.catchUp()
        let maria = try world.runtime.inbox.list(as: ActingUser("maria"))
        #expect(maria.count >= 2 && maria.allSatisfy { $0.userID == "maria" && $0.readAt == nil })
        #expect(throws: RuntimeError.self) { try world.runtime.inbox.markRead(id: maria[0].id, as: ActingUser("nora")) }
        #expect(throws: RoleRefusal.self) { try world.runtime.inbox.list(of: "maria", as: ActingUser("olaf")) }
        #expect(throws: RuntimeError.self) { try world.runtime.inbox.list(as: .anonymous) }
        #expect(try world.runtime.inbox.list(of: "maria", as: .anonymous).count == maria.count)
        let read = try world.runtime.inbox.markRead(id: maria[0].id, as: ActingUser("maria"))
        #expect(read.readAt == Self.t0)
        #expect(try world.runtime.inbox.list(unreadOnly: true, as: ActingUser("maria")).count == maria.count - 1)
        #expect(try world.runtime.inbox.markAllRead(as: ActingUser("maria")) == maria.count - 1)
        #expect(try world.runtime.inbox.list(unreadOnly: true, as: ActingUser("maria")).isEmpty)
    }

    @Test func aDigestOfTheDayBeforeIsWrittenPerUserAndNothingIsSent() async throws {
        let folder = try RuntimeTestFolder()
        defer { folder.remove() }
        let world = try await Self.world(digestFolder: folder.url.appendingPathComponent("digests").path)
        try Self.score(world.store, "acme", 72, at: Self.t0)
        try Self.score(world.store, "acme", 55, at: Self.t0)
        try await world.runtime.rules.catchUp()
        // Written at 00:15 on 2 December: the notifications of 1 December (UTC, the configured zone).
        #expect(try world.runtime.inbox.writeDigests(before: Self.t0.addingTimeInterval(15 * 3600 + 15 * 60)) == 2)
        let maria = try String(contentsOf: folder.url.appendingPathComponent("digests/2026-12-01/maria.eml"), encoding: .utf8)
        #expect(maria.contains("To: \"Maria\" <maria@kam.test>"))
        #expect(maria.contains("Subject: KAM digest for 2026-12-01: 3 notifications"))
        #expect(maria.contains("Acme: health fell to 55") && maria.contains("(rule health-intervention)"))
        #expect(maria.contains("X-Generated-By: kam (a notification digest; not sent)"))
        #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("digests/2026-12-01/nora.eml").path))
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("digests/2026-12-01/olaf.eml").path))
        // The day after holds nothing: no file.
        #expect(try world.runtime.inbox.writeDigests(before: Self.t0.addingTimeInterval(2 * Self.day)) == 0)
    }

    @Test func theWorkingFoldersRulesReplaceShippedOnesAndABrokenFileStopsTheEngineNamingTheLine() async throws {
        let folder = try RuntimeTestFolder()
        defer { folder.remove() }
        try folder.write(
            "rules/local.yaml",
            """
            rules:
              - name: health-drop-alert
                enabled: false
                on: [health.changed]
                do: [{notify: owner}]
            """)
        let world = try await Self.world(rulesFolder: folder.url.appendingPathComponent("rules").path)
        let listed = try world.runtime.rules.list()
        #expect(listed.filter { $0.name == "health-drop-alert" }.map(\.enabled) == [false])
        try Self.score(world.store, "acme", 72, at: Self.t0)
        try Self.score(world.store, "acme", 55, at: Self.t0)
        try await world.runtime.rules.catchUp()
        #expect(try world.executions("health-drop-alert").isEmpty)
        #expect(try world.executions("health-intervention").count == 1)

        let broken = try folder.write("rules/zz-broken.yaml", "rules:\n  - name: x\n    on: [health.changed]\n    do: [{notify: owner, titel: y}]\n")
        let error = try #require(throws: ConfigurationError.self) { try RuleEngine(runtime: world.runtime) }
        #expect(error.issues.map(\.description) == ["\(broken):4:26: rules[0].do[0].titel: unknown field; did you mean 'title'? known fields: body, notify, title"])
    }
}
