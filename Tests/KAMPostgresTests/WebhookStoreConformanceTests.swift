import Foundation
import KAMCore
import KAMTesting
import Testing

/// The webhooks' tables (`WebhookSourceStoring`, `WebhookSubscriptionStoring`), written once and run against SQLite
/// and PostgreSQL, with a message's receipt and an event's fan-out racing across two handles (two processes).
@Suite("Webhook store conformance")
struct WebhookStoreConformanceTests {
    static let t0 = EventWorld.start

    static func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    @Test(
        "sources are saved, replaced, disabled and enabled again, each with its event",
        arguments: StoreBackend.allCases)
    func sources(kind: StoreBackend) async throws {
        try await kind.withWorld(EventWorld.self) { world in
            let sources = world.handles[0].webhookSources
            #expect(try sources.list().isEmpty)
            try sources.upsert(name: "relay", secret: .stored("s1"), now: Self.t0)
            try sources.upsert(name: "mail", secret: .environment("MAIL_SECRET"), now: Self.at(1))
            #expect(
                try sources.list() == [
                    WebhookSource(name: "mail", secretEnv: "MAIL_SECRET", createdAt: Self.at(1), disabledAt: nil),
                    WebhookSource(name: "relay", secretEnv: nil, createdAt: Self.t0, disabledAt: nil),
                ])
            #expect(try sources.secret(of: "relay") == .stored("s1"))
            #expect(try world.handles[1].webhookSources.secret(of: "mail") == .environment("MAIL_SECRET"))
            #expect(try sources.secret(of: "nobody") == nil)
            try sources.upsert(name: "relay", secret: .environment("RELAY_SECRET"), now: Self.at(2))
            #expect(try sources.secret(of: "relay") == .environment("RELAY_SECRET"))

            #expect(try sources.disable(name: "relay", now: Self.at(3)))
            #expect(try !sources.disable(name: "relay", now: Self.at(4)))
            #expect(try !sources.disable(name: "nobody", now: Self.at(4)))
            #expect(try sources.secret(of: "relay") == nil)
            #expect(try sources.list().first { $0.name == "relay" }?.disabledAt == Self.at(3))
            try sources.upsert(name: "relay", secret: .stored("s2"), now: Self.at(5))
            #expect(try sources.secret(of: "relay") == .stored("s2"))
            let relay = try #require(try sources.list().first { $0.name == "relay" })
            #expect(relay.disabledAt == nil && relay.createdAt == Self.t0)

            let events = try world.events.events(after: 0, kinds: nil, clientID: nil, limit: 100)
            #expect(
                events.map { "\($0.kind) \($0.subjectID ?? "")" } == [
                    "webhook-source.saved relay", "webhook-source.saved mail", "webhook-source.saved relay",
                    "webhook-source.disabled relay", "webhook-source.saved relay",
                ])
        }
    }

    @Test("a message's first answer stands, also when eight deliveries of it race", arguments: StoreBackend.allCases)
    func receipts(kind: StoreBackend) async throws {
        try await kind.withWorld(EventWorld.self, handles: 2) { world in
            let sources = world.handles[0].webhookSources
            #expect(try sources.receipt(messageID: "m1") == nil)
            #expect(try sources.receiptCount() == 0)
            #expect(
                try sources.recordReceipt(messageID: "m1", source: "relay", result: "first", now: Self.t0) == "first")
            #expect(
                try sources.recordReceipt(messageID: "m1", source: "relay", result: "again", now: Self.t0) == "first")
            #expect(try world.handles[1].webhookSources.receipt(messageID: "m1") == "first")

            let handles = world.handles
            let answers = try await OnThreads.results(8) { index in
                try handles[index % 2].webhookSources.recordReceipt(
                    messageID: "m2", source: "relay", result: "answer \(index)", now: Self.t0)
            }.map { try $0.get() }
            #expect(Set(answers).count == 1)
            #expect(try sources.receipt(messageID: "m2") == answers.first)
            #expect(try sources.receiptCount() == 2)
        }
    }

    @Test(
        "subscriptions get the later events of their kinds once each; attempts, the log and its counts",
        arguments: StoreBackend.allCases)
    func subscriptionsAndDeliveries(kind: StoreBackend) async throws {
        try await kind.withWorld(EventWorld.self) { world in
            let hooks = world.handles[0].webhookSubscriptions
            let contact = DomainEvent.contactCreated(Contact(clientID: "acme", name: "Jane"), id: 1, at: Self.t0)
            let before = try Self.stored(world, contact)
            let a = try hooks.add(
                id: "wh-a", url: "https://a.example/hook", events: ["contact.created", "client.created"],
                secret: .stored("k"), now: Self.at(1))
            let b = try hooks.add(
                id: "wh-b", url: "https://b.example/hook", events: ["contact.created"],
                secret: .environment("B_SECRET"), now: Self.at(2))
            #expect(
                a
                    == WebhookSubscription(
                        id: "wh-a", url: "https://a.example/hook", events: ["contact.created", "client.created"],
                        secretEnv: nil, createdAt: Self.at(1)))
            #expect(try hooks.list() == [a, b])
            #expect(try hooks.secret(of: "wh-a") == .stored("k"))
            #expect(try world.handles[1].webhookSubscriptions.secret(of: "wh-b") == .environment("B_SECRET"))
            #expect(try hooks.secret(of: "wh-none") == nil)
            let added = try world.events.events(after: before.id, kinds: ["webhook.added"], clientID: nil, limit: 10)
            #expect(added.map(\.subjectID) == ["wh-a", "wh-b"])

            // Only events after a subscription was added, of its kinds, once.
            #expect(try hooks.fanOut(before, now: Self.at(10)) == 0)
            let c1 = try Self.stored(world, contact)
            #expect(try hooks.fanOut(c1, now: Self.at(10)) == 2)
            #expect(try hooks.fanOut(c1, now: Self.at(11)) == 0)
            let k1 = try Self.stored(
                world, .clientCreated(Client(id: "acme", name: "Acme", createdAt: Self.t0), at: Self.t0))
            #expect(try hooks.fanOut(k1, now: Self.at(20)) == 1)
            var partial = c1
            partial.kind = "contact"
            #expect(try hooks.fanOut(partial, now: Self.at(20)) == 0)
            #expect(
                try hooks.fanOut(
                    try Self.stored(world, .jobFailed(runID: 1, job: "x", slot: Self.t0, at: Self.t0)), now: Self.at(20)
                ) == 0)
            #expect(try hooks.disable(id: "wh-b", now: Self.at(25)))
            #expect(try !hooks.disable(id: "wh-b", now: Self.at(26)))
            #expect(try hooks.list().last?.disabledAt == Self.at(25))
            let c2 = try Self.stored(world, contact)
            #expect(try hooks.fanOut(c2, now: Self.at(30)) == 1)

            // Due: pending, by next attempt; each with its event and URL.
            func due(_ seconds: TimeInterval, limit: Int = 100) throws -> [String] {
                try hooks.due(now: Self.at(seconds), limit: limit).map {
                    "\($0.delivery.subscriptionID) \($0.event.id) \($0.event.kind) \($0.delivery.url)"
                }
            }
            #expect(try due(9).isEmpty)
            #expect(
                try Set(due(15)) == [
                    "wh-a \(c1.id) contact.created https://a.example/hook",
                    "wh-b \(c1.id) contact.created https://b.example/hook",
                ])
            #expect(try due(100).count == 4)
            #expect(try due(100, limit: 2).allSatisfy { $0.contains(" \(c1.id) ") })
            let first = try #require(try hooks.due(now: Self.at(100), limit: 100).first { $0.event.id == k1.id })
            #expect(
                first.event.payload == k1.payload && first.event.clientID == "acme" && first.event.occurredAt == Self.t0
            )
            #expect(first.delivery.status == .pending && first.delivery.attempts == 0)
            #expect(first.delivery.nextAttemptAt == Self.at(20) && first.delivery.createdAt == Self.at(20))

            // Attempts: delivered, pending again later, failed for good.
            let pending = try hooks.due(now: Self.at(100), limit: 100)
            func delivery(_ subscription: String, _ event: StoredEvent) throws -> WebhookDelivery {
                try #require(pending.first { $0.delivery.subscriptionID == subscription && $0.event.id == event.id })
                    .delivery
            }
            let delivered = try delivery("wh-a", c1)
            try hooks.recordAttempt(
                id: delivered.id, delivered: true, responseStatus: 200, error: nil, nextAttemptAt: Self.at(99),
                now: Self.at(40))
            let retried = try delivery("wh-b", c1)
            try hooks.recordAttempt(
                id: retried.id, delivered: false, responseStatus: 500, error: "boom", nextAttemptAt: Self.at(200),
                now: Self.at(41))
            let failed = try delivery("wh-a", k1)
            try hooks.recordAttempt(
                id: failed.id, delivered: false, responseStatus: nil, error: "unreachable", nextAttemptAt: nil,
                now: Self.at(42))
            #expect(try due(100).count == 1)  // c2's
            #expect(try due(200).count == 2)

            let log = try hooks.deliveries(failedOnly: false, limit: 100)
            #expect(log.map(\.id) == log.map(\.id).sorted(by: >) && log.count == 4)
            let stored = try #require(log.first { $0.id == delivered.id })
            #expect(stored.status == .delivered && stored.attempts == 1 && stored.responseStatus == 200)
            #expect(
                stored.deliveredAt == Self.at(40) && stored.lastAttemptAt == Self.at(40) && stored.nextAttemptAt == nil)
            let again = try #require(log.first { $0.id == retried.id })
            #expect(again.status == .pending && again.nextAttemptAt == Self.at(200) && again.lastError == "boom")
            #expect(again.deliveredAt == nil && again.responseStatus == 500)
            #expect(try hooks.deliveries(failedOnly: true, limit: 100).map(\.id) == [failed.id])
            #expect(try hooks.deliveries(failedOnly: true, limit: 100).first?.lastError == "unreachable")
            #expect(try hooks.deliveries(failedOnly: false, limit: 1).count == 1)
            #expect(
                try hooks.deliveryCounts() == [
                    WebhookDeliveryCount(event: "client.created", status: .failed, deliveries: 1, attempts: 1),
                    WebhookDeliveryCount(event: "contact.created", status: .delivered, deliveries: 1, attempts: 1),
                    WebhookDeliveryCount(event: "contact.created", status: .pending, deliveries: 2, attempts: 1),
                ])
        }
    }

    @Test(
        "an event fanned out by eight passes over two handles at once is delivered once a subscription",
        arguments: StoreBackend.allCases)
    func racingFanOut(kind: StoreBackend) async throws {
        try await kind.withWorld(EventWorld.self, handles: 2) { world in
            for (index, id) in ["wh-a", "wh-b"].enumerated() {
                _ = try world.handles[index].webhookSubscriptions.add(
                    id: id, url: "https://\(id).example", events: ["job.failed"], secret: .stored("k"), now: Self.t0)
            }
            let event = try Self.stored(world, .jobFailed(runID: 1, job: "self-check", slot: Self.t0, at: Self.t0))
            let handles = world.handles
            let made = try await OnThreads.results(8) { index in
                try handles[index % 2].webhookSubscriptions.fanOut(event, now: Self.t0)
            }.map { try $0.get() }
            #expect(made.reduce(0, +) == 2)
            #expect(try handles[1].webhookSubscriptions.deliveries(failedOnly: false, limit: 100).count == 2)
        }
    }

    /// Appends `event` and reads it back as the log keeps it.
    static func stored(_ world: EventWorld, _ event: DomainEvent) throws -> StoredEvent {
        let id = try world.handles[0].append(event)
        return try #require(try world.events.events(after: id - 1, kinds: nil, clientID: nil, limit: 1).first)
    }
}
