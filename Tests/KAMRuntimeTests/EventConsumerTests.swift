import Foundation
import GRDB
import KAMCore
import KAMResources
import KAMRuntime
import KAMStore
import KAMTesting
import Synchronization
import Testing

/// Consumers of the event log with their own cursors: a consumer killed mid-batch (a handler that throws after
/// handling some events, before the cursor moved) loses nothing after a restart, and its idempotent effects are
/// not duplicated though some events were handled twice (at least once). The outbound webhooks are such a consumer.
@Suite struct EventConsumerTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static func runtime() async throws -> Runtime {
        let store = try ClientStore.inMemory(now: { t0 })
        try store.addClient(Client(id: "acme", name: "Acme", createdAt: t0))
        return try await Runtime.open(
            RuntimeOptions(
                configuration: .embeddedDefaults,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { t0 }, ids: .sequential()),
            store: store)
    }

    /// A consumer whose effect is a row per event in its own table (`INSERT OR IGNORE`, keyed by the event id),
    /// counting every call; it "crashes" (throws) when asked to handle the event `crashAt`.
    struct Recorder: EventConsumer {
        final class Calls: Sendable {
            let ids = Mutex<[Int64]>([])
        }

        let store: ClientStore
        let calls = Calls()
        let crashAt: Int64?
        var name: String { "recorder" }

        struct Crash: Error {}

        init(store: ClientStore, crashAt: Int64? = nil) throws {
            self.store = store
            self.crashAt = crashAt
            try store.writer.write { db in
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS recorded (event_id INTEGER PRIMARY KEY, kind TEXT NOT NULL)")
            }
        }

        func handle(_ event: StoredEvent) async throws {
            calls.ids.withLock { $0.append(event.id) }
            if event.id == crashAt { throw Crash() }
            try await store.writer.write { db in
                try db.execute(
                    sql: "INSERT OR IGNORE INTO recorded (event_id, kind) VALUES (?, ?)", arguments: [event.id, event.kind])
            }
        }

        func recorded() throws -> [Int64] {
            try store.writer.read { db in try Int64.fetchAll(db, sql: "SELECT event_id FROM recorded ORDER BY event_id") }
        }
    }

    @Test func aConsumerKilledMidBatchLosesNothingAndDuplicatesNothingAfterARestart() async throws {
        let runtime = try await Self.runtime()
        for n in 1...6 { try runtime.sqliteStore!.addContact(Contact(clientID: "acme", name: "Person \(n)")) }
        let all = try EventRepository(store: runtime.sqliteStore!).events(after: 0).map(\.id)
        #expect(all.count == 7)  // the client and six contacts

        // The first run dies at the fifth event: four were handled, the cursor never moved.
        let crashing = try Recorder(store: runtime.sqliteStore!, crashAt: all[4])
        await #expect(throws: Recorder.Crash.self) { try await runtime.events.consume(crashing, limit: 100) }
        #expect(try crashing.recorded() == Array(all.prefix(4)))
        #expect(try EventRepository(store: runtime.sqliteStore!).cursor(of: "recorder", now: Self.t0) == 0)

        // Restarted (a new consumer, same cursor): the batch comes again, whole.
        let restarted = try Recorder(store: runtime.sqliteStore!)
        #expect(try await runtime.events.drain(restarted, batch: 3) == 7)
        #expect(restarted.calls.ids.withLock { $0 } == all)  // every event, in order, including the four seen before
        #expect(try restarted.recorded() == all)  // each effect once
        #expect(try EventRepository(store: runtime.sqliteStore!).cursor(of: "recorder", now: Self.t0) == all.last)

        // Caught up: nothing more until a new write.
        #expect(try await runtime.events.consume(restarted, limit: 100).handled == 0)
        try runtime.sqliteStore!.addContact(Contact(clientID: "acme", name: "Person 7"))
        #expect(try await runtime.events.consume(restarted, limit: 100).handled == 1)
        #expect(try restarted.recorded().count == 8)
    }

    /// Two processes (two runtimes on one file) running the same consumer at once: each pass claims the cursor, so
    /// every event is handled once, in order, however their passes interleave (a handler's write lets the other run).
    /// An idle pass (nothing new in the log) writes nothing: the scheduler runs passes on a timer, and each commit
    /// would drop what the server keeps at the store's data version.
    @Test func aPassThatFindsNothingNewCommitsNothing() async throws {
        let file = TemporaryFile("kam-idle-pass.sqlite")
        defer { file.remove() }
        let store = try ClientStore.open(path: file.path, now: { Self.t0 })
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: .embeddedDefaults,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { Self.t0 }, ids: .sequential()),
            store: store)
        try store.addClient(Client(id: "acme", name: "Acme", createdAt: Self.t0))
        let recorder = try Recorder(store: store)
        #expect(try await runtime.events.drain(recorder) > 0)
        let version = try #require(try store.dataVersion())
        for _ in 0..<3 { #expect(try await runtime.events.consume(recorder).handled == 0) }
        #expect(try store.dataVersion() == version)
        try store.addContact(Contact(clientID: "acme", name: "Jane"))
        #expect(try await runtime.events.consume(recorder).handled == 1)
    }

    @Test func twoProcessesRunningOneConsumerHandleEachEventOnce() async throws {
        let file = TemporaryFile("kam-consumers.sqlite")
        defer { file.remove() }
        var runtimes: [Runtime] = []
        for _ in 0..<2 {
            let store = try ClientStore.open(path: file.path, now: { Self.t0 })
            runtimes.append(
                try await Runtime.open(
                    RuntimeOptions(
                        configuration: .embeddedDefaults,
                        promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                        environment: [:], now: { Self.t0 }, ids: .sequential()),
                    store: store))
        }
        try runtimes[0].sqliteStore!.addClient(Client(id: "acme", name: "Acme", createdAt: Self.t0))
        for n in 1...20 { try runtimes[n % 2].sqliteStore!.addContact(Contact(clientID: "acme", name: "Person \(n)")) }
        let all = try EventRepository(store: runtimes[0].sqliteStore!).events(after: 0).map(\.id)
        let recorder = try Recorder(store: runtimes[0].sqliteStore!)
        let last = try #require(all.last)
        let passes = runtimes
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<4 {
                group.addTask {
                    let runtime = passes[index % 2]
                    while try await runtime.events.consume(recorder, limit: 3).cursor < last { await Task.yield() }
                }
            }
            try await group.waitForAll()
        }
        #expect(recorder.calls.ids.withLock { $0 } == all)
        #expect(try recorder.recorded() == all)
    }

    /// A poison event (one whose handling always throws) holds its consumer up for five passes, then is set aside
    /// with its error and every event after it is handled; a consumer that fails less often sets nothing aside.
    @Test func aPoisonEventIsSetAsideAfterFiveFailedPassesAndTheRestGoOn() async throws {
        let runtime = try await Self.runtime()
        for n in 1...4 { try runtime.sqliteStore!.addContact(Contact(clientID: "acme", name: "Person \(n)")) }
        let all = try runtime.events.list(after: 0, as: .anonymous)
        let poison = all[2].id
        let recorder = try Recorder(store: runtime.sqliteStore!, crashAt: poison)
        let repository = EventRepository(store: runtime.sqliteStore!)
        for pass in 1...EventFailure.passLimit {
            await #expect(throws: Recorder.Crash.self) { try await runtime.events.consume(recorder) }
            #expect(try repository.position(of: "recorder", now: Self.t0).failedPasses == pass)
        }
        #expect(try recorder.recorded() == all.prefix(2).map(\.id))  // the events before it, recorded at the first pass
        let consumed = try await runtime.events.consume(recorder)
        #expect(consumed.cursor == all.last?.id)
        #expect(try recorder.recorded() == all.map(\.id).filter { $0 != poison })
        let failures = try runtime.events.failures(as: .anonymous)
        #expect(failures.map(\.eventID) == [poison])
        #expect(failures.first?.consumer == "recorder" && failures.first?.error.contains("Crash") == true)
        #expect(try repository.position(of: "recorder", now: Self.t0).failedPasses == 0)
        // Back to whole batches: a new event is handled with the next pass.
        try runtime.sqliteStore!.addContact(Contact(clientID: "acme", name: "Person 5"))
        #expect(try await runtime.events.consume(recorder).handled == 1)
        #expect(try runtime.events.failures(as: .anonymous).count == 1)

        // Two failed passes, then the event is handled: nothing set aside, the count starts again.
        let flaky = try Recorder(store: runtime.sqliteStore!, crashAt: nil)
        final class Countdown: Sendable {
            let left = Mutex(2)
        }
        struct Flaky: EventConsumer {
            let recorder: Recorder
            let failuresLeft = Countdown()
            var name: String { "flaky" }
            func handle(_ event: StoredEvent) async throws {
                if failuresLeft.left.withLock({ left in defer { left -= 1 }; return left > 0 }) { throw Recorder.Crash() }
                try await recorder.handle(event)
            }
        }
        let consumer = Flaky(recorder: flaky)
        for _ in 1...2 { await #expect(throws: Recorder.Crash.self) { try await runtime.events.consume(consumer) } }
        try await runtime.events.drain(consumer)
        #expect(try repository.position(of: "flaky", now: Self.t0).failedPasses == 0)
        #expect(try runtime.events.failures(consumer: "flaky", as: .anonymous).isEmpty)
        try RoleTestUsers.add(to: runtime.sqliteStore!)
        #expect(throws: RoleRefusal.self) { try runtime.events.failures(as: ActingUser(RoleTestUsers.member)) }
    }

    /// The webhook fan-out killed mid-batch: after the restart each event has exactly one delivery per subscription.
    struct CrashingFanOut: EventConsumer {
        let fanOut: WebhookFanOut
        let crashAt: Int64
        var name: String { fanOut.name }
        struct Crash: Error {}

        func handle(_ event: StoredEvent) async throws {
            if event.id == crashAt { throw Crash() }
            try await fanOut.handle(event)
        }
    }

    @Test func theWebhookFanOutKilledMidBatchMakesOneDeliveryPerEventAndSubscription() async throws {
        let runtime = try await Self.runtime()
        let first = try runtime.webhooks.subscribe(url: "http://127.0.0.1:9/a", events: [.contactCreated], secret: "s", as: .anonymous)
        let second = try runtime.webhooks.subscribe(
            url: "http://127.0.0.1:9/b", events: [.contactCreated, .dealStageChanged], secret: "s", as: .anonymous)
        for n in 1...4 { try runtime.sqliteStore!.addContact(Contact(clientID: "acme", name: "Person \(n)")) }
        try runtime.sqliteStore!.addDeal(Deal(clientID: "acme", name: "Renewal", stage: .qualification, amount: 10, stageEnteredAt: Self.t0))
        // The contacts' and the deal's events (not the client's, nor the subscriptions' own `webhook.added`).
        let events = try runtime.events.list(after: 0, as: .anonymous).filter { ["contact.created", "deal.stage-changed"].contains($0.kind) }

        let fanOut = WebhookFanOut(runtime: runtime)
        await #expect(throws: CrashingFanOut.Crash.self) {
            try await runtime.events.consume(CrashingFanOut(fanOut: fanOut, crashAt: events[3].id))
        }
        #expect(try runtime.webhooks.deliveries().count == 6)  // three contacts, to both subscriptions

        try await runtime.events.drain(fanOut)
        try await runtime.events.drain(fanOut)
        let deliveries = try runtime.webhooks.deliveries(limit: 1_000)
        // Four contacts to both subscriptions, the deal only to the second; nothing twice.
        #expect(deliveries.count == 9)
        #expect(Set(deliveries.map { "\($0.subscriptionID) \($0.eventID)" }).count == 9)
        #expect(deliveries.filter { $0.subscriptionID == first.subscription.id }.count == 4)
        #expect(deliveries.filter { $0.subscriptionID == second.subscription.id }.map(\.eventKind).sorted()
            == ["contact.created", "contact.created", "contact.created", "contact.created", "deal.stage-changed"])
        // The client created before both subscriptions went to neither.
        #expect(!deliveries.contains { $0.eventKind == "client.created" })
    }

    @Test func aCSVImportReachesSubscribersOfClientImportedOnceAClientAndNoneOfItsRecordsEvents() async throws {
        let runtime = try await Self.runtime()
        let imports = try runtime.webhooks.subscribe(
            url: "http://127.0.0.1:9/a", events: [.clientImported, .importCompleted], secret: "s", as: .anonymous)
        _ = try runtime.webhooks.subscribe(
            url: "http://127.0.0.1:9/b", events: [.activityLogged, .contactCreated, .clientCreated, .taskCreated], secret: "s",
            as: .anonymous)
        let file = WorkbenchCSV(rows: 40, companies: 8)
        _ = try runtime.imports.importCSV(Data(file.text.utf8), file: "crm.csv", mapping: .workbench, as: .anonymous)
        try await runtime.events.drain(WebhookFanOut(runtime: runtime))
        let deliveries = try runtime.webhooks.deliveries(limit: 1_000)
        // Eight clients and the import itself, to the first subscription alone: 40 rows' records reach nobody.
        #expect(deliveries.count == 9)
        #expect(deliveries.allSatisfy { $0.subscriptionID == imports.subscription.id })
        #expect(deliveries.filter { $0.eventKind == "client.imported" }.count == 8)
        #expect(deliveries.filter { $0.eventKind == "import.completed" }.count == 1)
    }

    @Test func onlyAnAdminReadsTheEventLog() async throws {
        let runtime = try await Self.runtime()
        try runtime.sqliteStore!.addContact(Contact(clientID: "acme", name: "Jane"))
        let log = try runtime.events.list(after: 0, kinds: [.contactCreated], clientID: "acme", as: .anonymous)
        #expect(log.map(\.kind) == ["contact.created"])
        #expect(try runtime.events.list(after: 0, clientID: "globex", as: .anonymous).isEmpty)
        #expect(try runtime.events.list(after: log[0].id, as: .anonymous).isEmpty)
        try RoleTestUsers.add(to: runtime.sqliteStore!)
        let all = try runtime.events.list(as: ActingUser(RoleTestUsers.admin))
        #expect(all.filter { $0.clientID != nil }.count == 2)
        // The rest: the role users' and their teams' own events.
        #expect(!all.filter { $0.clientID == nil }.isEmpty)
        #expect(all.filter { $0.clientID == nil }.allSatisfy { $0.kind.hasPrefix("user.") || $0.kind.hasPrefix("team.") })
        for user in [RoleTestUsers.manager, RoleTestUsers.member] {
            #expect(throws: RoleRefusal.self) { try runtime.events.list(as: ActingUser(user)) }
        }
    }
}
