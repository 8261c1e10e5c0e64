import Foundation
import KAMCore
import KAMProviders
import KAMResources
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

/// The daily review's stored plans: one a user and day in the user's time zone, the model's brief only when a
/// provider is configured, items done by the events that complete them (once, after a restart too) or by hand.
@Suite struct DailyReviewTests {
    static let morning = try! Date("2026-12-01T08:00:00Z", strategy: .iso8601)
    static let utc = TimeZone(identifier: "UTC")!

    static func runtime(
        _ store: ClientStore, at now: @escaping @Sendable () -> Date = { morning },
        configuration: KAMConfiguration = .embeddedDefaults, overrides: ModelOverrides = ModelOverrides(),
        transport: MockTransport = MockTransport()
    ) async throws -> Runtime {
        try await Runtime.open(
            RuntimeOptions(
                configuration: configuration,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                overrides: overrides, environment: [:], now: now, ids: .sequential(), transport: transport),
            store: store)
    }

    static func demo(_ now: @escaping @Sendable () -> Date = { morning }) throws -> ClientStore {
        let store = try ClientStore.inMemory(now: now)
        try DemoSeeder.seedDemo(into: store, now: morning)
        return store
    }

    @Test func theReviewStoresEachUsersPlanOnceWithoutABriefWhenNoModelIsConfigured() async throws {
        let runtime = try await Self.runtime(try Self.demo())
        let first = try await runtime.plans.review(userID: "maria", in: Self.utc, at: Self.morning)
        #expect(first.created)
        #expect(first.plan.day == "2026-12-01")
        #expect(first.plan.clients > 0)
        #expect(!first.plan.items.isEmpty)
        #expect(first.plan.items.allSatisfy { !$0.item.talkingPoint.isEmpty && $0.item.target.contains(":") && $0.doneAt == nil })
        #expect(first.plan.items.filter { $0.item.source == .stuckDeal }.allSatisfy { $0.item.winProbability != nil })
        #expect(first.plan.brief == nil)
        #expect(first.plan.briefNote?.contains("no model provider is configured") == true)
        // A second run of the same day (a run taken over) keeps the stored plan.
        let again = try await runtime.plans.review(userID: "maria", in: Self.utc, at: Self.morning.addingTimeInterval(600))
        #expect(!again.created)
        #expect(again.plan == first.plan)
        #expect(try await runtime.plans.stored(as: ActingUser("maria")) == first.plan)
        // Tokyo's 08:00 on 2 December is 23:00 UTC on the 1st: that plan is for the 2nd.
        let tokyo = try await runtime.plans.review(
            userID: "maria", in: TimeZone(identifier: "Asia/Tokyo")!, at: Self.morning.addingTimeInterval(15 * 3600))
        #expect(tokyo.created && tokyo.plan.day == "2026-12-02")
        #expect(try await runtime.plans.stored(as: .anonymous) == nil)
    }

    @Test func itemsAreDoneByTheirTaskDealOrAContactAndByHand() async throws {
        let time = ManualWallClock(Self.morning)
        let store = try Self.demo { time.now }
        var runtime = try await Self.runtime(store, at: { time.now })
        let owners = Set(try store.listClients().compactMap(\.ownerID)).sorted()
        // The suggestion rules propose contacting silent clients (items about the client itself).
        _ = try await runtime.suggestions.run(clientIDs: nil, modelSuggestions: false, as: .anonymous)
        // The first task, deal and client item of the owners' plans, with the plan's user.
        var found: [String: (item: StoredPlanItem, user: ActingUser)] = [:]
        for owner in owners {
            for item in try await runtime.plans.review(userID: owner, in: Self.utc, at: Self.morning).plan.items {
                let kind = String(item.item.target.split(separator: ":")[0])
                if found[kind] == nil { found[kind] = (item, ActingUser(owner)) }
            }
        }
        let (task, taskUser) = try #require(found["task"], "\(found)")
        let (deal, dealUser) = try #require(found["deal"], "\(found)")
        let (client, user) = try #require(found["client"], "\(found)")
        time.advance(3600)
        // A note is not a contact; a call is.
        let clientID = String(client.item.target.dropFirst("client:".count))
        try runtime.activities.log(.init(clientID: clientID, kind: .note, summary: "Thought about them"), as: user)
        let now = try #require(try await runtime.plans.stored(as: user))
        #expect(now.items.first { $0.id == client.id }?.doneAt == nil)
        try runtime.activities.log(.init(clientID: clientID, kind: .call, direction: .outbound, summary: "Called"), as: user)
        try runtime.tasks.done(Int64(task.item.target.dropFirst("task:".count))!, as: taskUser)
        let dealID = Int64(deal.item.target.dropFirst("deal:".count))!
        let stage = try runtime.deals.deal(dealID, as: dealUser).stage
        try runtime.deals.move(dealID, to: stage == .negotiation ? .closedWon : .negotiation, as: dealUser)
        // A restart: the consumer's cursor is in the store.
        runtime = try await Self.runtime(store, at: { time.now })
        var items: [StoredPlanItem] = []
        var holders: [Int64: ActingUser] = [:]
        for owner in owners {
            for item in try #require(try await runtime.plans.stored(as: ActingUser(owner))).items {
                items.append(item)
                holders[item.id] = ActingUser(owner)
            }
        }
        for (done, kind) in [(task, "task.status-changed"), (deal, "deal.stage-changed"), (client, "activity.logged")] {
            let after = try #require(items.first { $0.id == done.id })
            #expect(after.doneAt == time.now, "\(after)")
            #expect(after.doneBy?.hasPrefix(kind + " #") == true, "\(after)")
        }
        #expect(items.count { $0.doneAt != nil } >= 3)
        // Each item done is announced once, naming the event that did it.
        let announced = try runtime.events.list(kinds: [.planItemDone], as: .anonymous)
        #expect(announced.count == items.count { $0.doneAt != nil }, "\(announced)")
        let taskEvent = try #require(announced.first { $0.subjectID == String(task.id) })
        #expect(taskEvent.payload.contains("\"target\":\"\(task.item.target)\"") && taskEvent.payload.contains("\"user_id\":null"))
        #expect(try runtime.events.list(kinds: [.planStored], as: .anonymous).count == owners.count)
        #expect(try await runtime.plans.stored(as: user)?.done ?? 0 >= 1)
        // By hand: only the plan's own user (or an admin, or a local run) may; a second mark changes nothing.
        let open = try #require(items.first { $0.doneAt == nil })
        let holder = try #require(holders[open.id])
        // Another member (not the admin, maria, who may mark anyone's).
        let other = owners.first { $0 != holder.id && $0 != "maria" }!
        #expect(throws: RuntimeError.self) { try runtime.plans.markDone(itemID: open.id, as: ActingUser(other)) }
        let marked = try runtime.plans.markDone(itemID: open.id, as: holder)
        #expect(marked.marked && marked.item.doneBy == "by hand (\(holder.id!))")
        #expect(try runtime.plans.markDone(itemID: open.id, as: .anonymous).marked == false)
        #expect(throws: RuntimeError.self) { try runtime.plans.markDone(itemID: 999_999, as: .anonymous) }
        // Handling the log again (a cursor that never moved) marks nothing twice.
        let before = try #require(try await runtime.plans.stored(as: user))
        try await store.writer.write { db in try db.execute(sql: "DELETE FROM event_cursors WHERE consumer = 'daily-plans'") }
        #expect(try await runtime.plans.stored(as: user) == before)
        #expect(try runtime.events.list(kinds: [.planItemDone], as: .anonymous).count == announced.count + 1)
    }

    @Test func aConfiguredModelWritesTheBriefAndAFailingOneLeavesANote() async throws {
        let configuration = try KAMConfiguration.parse(
            """
            providers:
              local:
                kind: openai-compatible
                base_url: http://model.invalid/v1
            """, file: "kam.yaml")
        let brief = #"{"top_priorities":[{"client":"acme","title":"Call Jane","reasoning":"renewal","win_probability":0.7}],"risks":[{"client":"globex","description":"silent","severity":"high"}],"quick_wins":[{"client":"acme","action":"send the schedule"}]}"#
        let answer = MockTransport.chatCompletion(brief)
        let store = try Self.demo()
        let runtime = try await Self.runtime(
            store, configuration: configuration, overrides: ModelOverrides(provider: "local", model: "m"),
            transport: MockTransport { _ in answer })
        let plan = try await runtime.plans.review(userID: "maria", in: Self.utc, at: Self.morning).plan
        #expect(plan.briefNote == nil)
        #expect(plan.brief?.topPriorities.first?.winProbability == 0.7)
        #expect(plan.brief?.risks.first?.severity == .high)
        #expect(plan.brief?.quickWins.count == 1)

        let failing = try await Self.runtime(
            try Self.demo(), configuration: configuration, overrides: ModelOverrides(provider: "local", model: "m"),
            transport: MockTransport { _ in HTTPResponseData(status: 400, text: #"{"error":{"message":"bad"}}"#) })
        let noted = try await failing.plans.review(userID: "maria", in: Self.utc, at: Self.morning).plan
        #expect(noted.brief == nil)
        #expect(noted.briefNote?.contains("plan.daily-review failed") == true, "\(noted.briefNote ?? "")")
        #expect(!noted.items.isEmpty)
    }

    @Test func usersHaveATimeZoneTheConfiguredOneByDefault() async throws {
        let configuration = try KAMConfiguration.parse("jobs: {time_zone: Europe/Berlin}", file: "kam.yaml")
        let runtime = try await Self.runtime(try Self.demo(), configuration: configuration)
        #expect(try runtime.users.timeZone(of: "maria").identifier == "Europe/Berlin")
        let ana = try runtime.users.add(
            .init(id: "ana", name: "Ana Lima", email: "ana@example.com", timeZone: "America/Sao_Paulo"), as: .anonymous)
        #expect(ana.timeZone == "America/Sao_Paulo")
        #expect(try runtime.users.timeZone(of: "ana").identifier == "America/Sao_Paulo")
        #expect(try runtime.users.setTimeZone("maria", to: "Asia/Tokyo", as: .anonymous).timeZone == "Asia/Tokyo")
        #expect(try runtime.users.setTimeZone("maria", to: nil, as: .anonymous).timeZone == nil)
        #expect { try runtime.users.setTimeZone("maria", to: "Mars/Base", as: .anonymous) } throws: {
            ($0 as? RuntimeError)?.code == "user.invalid-time-zone"
        }
        #expect(throws: RoleRefusal.self) { try runtime.users.setTimeZone("maria", to: "UTC", as: ActingUser("leo")) }
        #expect { try runtime.users.add(.init(id: "bo", name: "Bo", email: "bo@example.com", timeZone: "CET+99"), as: .anonymous) } throws: {
            ($0 as? RuntimeError)?.code == "user.invalid-time-zone"
        }
    }
}
