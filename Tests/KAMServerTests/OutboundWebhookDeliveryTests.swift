import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import KAMServer

/// Outbound webhooks delivered over real HTTP (the runtime's own AsyncHTTPClient transport) to a receiver
/// listening on a loopback port: the receiver verifies the signature with the subscription's secret, a
/// receiver that answers 500 leaves the delivery failed with its status, and `/metrics` counts both.
@Suite struct OutboundWebhookDeliveryTests {
    @Test func aDeliveryReachesARealReceiverSignedAndAFailingOneIsRecordedAsFailed() async throws {
        let (api, _, _) = try await KAMAPITests.fixture()
        let receiver = try LoopbackReceiver(status: 204)
        let broken = try LoopbackReceiver(status: 500)
        defer { receiver.stop(); broken.stop() }
        let webhooks = api.runtime.webhooks
        let good = try webhooks.subscribe(
            url: "http://127.0.0.1:\(receiver.port)/hook", events: [.contactCreated], secret: "whsec_receiver", as: .anonymous)
        _ = try webhooks.subscribe(
            url: "http://127.0.0.1:\(broken.port)/broken", events: [.contactCreated], secret: "whsec_broken", as: .anonymous)
        // Two writes: a contact (whose event both subscribed to) and a health score (whose event neither did).
        let contact = try api.runtime.sqliteStore!.addContact(Contact(clientID: "acme", name: "Pat Lee", role: .champion))
        try HealthRepository(store: api.runtime.sqliteStore!).record(HealthScore(clientID: "acme", score: 41, factors: [], computedAt: KAMAPITests.now))

        // A generous timeout: the receiver answers at once, but the whole suite runs in parallel on two cores.
        let report = try await webhooks.deliverDue(policy: WebhookRetryPolicy(maxAttempts: 1, timeout: .seconds(60)))

        #expect(report.attempted == 2)
        let outcomes = try webhooks.deliveries().map { "\($0.status) \($0.lastError ?? "")" }
        #expect(report.delivered == 1, "\(outcomes)")
        #expect(report.failed == 1)
        let received = receiver.received + broken.received
        #expect(received.map(\.path) == ["/hook", "/broken"])
        let hook = try #require(received.first)
        #expect(hook.header("X-KAM-Event") == "contact.created")
        // The receiver checks the signature as docs/configuration.md tells it to, with its own secret.
        let signature = hook.header(WebhookSignature.headerName)
        try WebhookSignature.verify(signature, secret: "whsec_receiver", body: Array(hook.body.utf8), now: KAMAPITests.now)
        #expect(throws: WebhookSignatureError.self) {
            try WebhookSignature.verify(signature, secret: "whsec_broken", body: Array(hook.body.utf8), now: KAMAPITests.now)
        }
        let event = try JSONDecoder().decode(JSONValue.self, from: Data(hook.body.utf8))
        #expect(event["type"] == .string("contact.created"))
        #expect(event["data"]?["id"] == .string(String(try #require(contact.id))))
        #expect(event["data"]?["role"] == .string("champion"))

        let log = try webhooks.deliveries()
        #expect(log.count == 2)
        let delivered = try #require(log.first { $0.subscriptionID == good.subscription.id })
        #expect(delivered.status == .delivered)
        #expect(delivered.responseStatus == 204)
        let failed = try #require(log.first { $0.subscriptionID != good.subscription.id })
        #expect(failed.status == .failed)
        #expect(failed.responseStatus == 500)
        #expect(failed.lastError?.contains("500") == true)

        let metrics = try await api.metrics.scrape(api.runtime)
        #expect(metrics.contains(#"kam_webhook_deliveries{event="contact.created",status="delivered"} 1"#))
        #expect(metrics.contains(#"kam_webhook_deliveries{event="contact.created",status="failed"} 1"#))
        #expect(metrics.contains(#"kam_webhook_delivery_attempts{event="contact.created",status="failed"} 1"#))
        #expect(!metrics.contains(#"event="health.changed""#))
    }

    @Test func anUnreachableReceiverIsRetriedLaterWithTheReason() async throws {
        let (api, _, _) = try await KAMAPITests.fixture()
        // A port nothing listens on: take one from a receiver, then stop it.
        let receiver = try LoopbackReceiver()
        let port = receiver.port
        receiver.stop()
        _ = try api.runtime.webhooks.subscribe(url: "http://127.0.0.1:\(port)/hook", events: [.contactCreated], secret: "s", as: .anonymous)
        try api.runtime.sqliteStore!.addContact(Contact(clientID: "acme", name: "Pat Lee"))

        let report = try await api.runtime.webhooks.deliverDue(policy: WebhookRetryPolicy(maxAttempts: 3, base: 30, timeout: .seconds(1)))
        #expect(report.retrying == 1)
        let delivery = try #require(try api.runtime.webhooks.deliveries().first)
        #expect(delivery.status == .pending)
        #expect(delivery.responseStatus == nil)
        #expect(delivery.lastError?.isEmpty == false)
        #expect(delivery.nextAttemptAt == KAMAPITests.now.addingTimeInterval(30))
        // Not due again until then: a second pass attempts nothing.
        #expect(try await api.runtime.webhooks.deliverDue().attempted == 0)
        let metrics = try await api.metrics.scrape(api.runtime)
        #expect(metrics.contains(#"kam_webhook_deliveries{event="contact.created",status="pending"} 1"#))
    }

    /// A receiver that takes no connection and a port that refuses them do not hold up a healthy receiver: the
    /// healthy one's deliveries are recorded, in their events' order, while the stuck attempt is still open; an
    /// unreachable receiver costs one attempt a pass (its later deliveries wait untouched) and is rescheduled by the
    /// retry policy on the injected clock. No wall time is measured: the stuck attempt ends only when the test
    /// closes its socket.
    @Test func aStuckOrClosedReceiverDoesNotHoldUpAHealthyOne() async throws {
        let (api, _, _) = try await KAMAPITests.fixture()
        let webhooks = api.runtime.webhooks
        // Listening but never accepting: the kernel completes the handshake, the request goes out, no answer comes.
        let stuck = try LoopbackSocket.bound(listening: true)
        // Bound but not listening: the port stays this test's, and every connection to it is refused.
        let refusing = try LoopbackSocket.bound(listening: false)
        defer { close(refusing.descriptor) }
        let refusingPort = refusing.port
        let healthy = try LoopbackReceiver(status: 204)
        defer { healthy.stop() }
        // Subscribed first, so their deliveries come first in the due order.
        let stuckID = try webhooks.subscribe(
            url: "http://127.0.0.1:\(stuck.port)/stuck", events: [.contactCreated], secret: "s1", as: .anonymous
        ).subscription.id
        let refusingID = try webhooks.subscribe(
            url: "http://127.0.0.1:\(refusingPort)/refusing", events: [.contactCreated], secret: "s2", as: .anonymous
        ).subscription.id
        let healthyID = try webhooks.subscribe(
            url: "http://127.0.0.1:\(healthy.port)/hook", events: [.contactCreated], secret: "s3", as: .anonymous
        ).subscription.id
        // Three writes, three events, in this order.
        let contacts = try ["Pat A", "Pat B", "Pat C"].map { name in
            JSONValue.string(String(try #require(try api.runtime.sqliteStore!.addContact(Contact(clientID: "acme", name: name)).id)))
        }
        func log(_ subscription: String) throws -> [WebhookDelivery] {
            try webhooks.deliveries().filter { $0.subscriptionID == subscription }.sorted { $0.id < $1.id }
        }

        let pass = Task {
            // The stuck attempt ends when the test closes its socket, not by this timeout: far above what the healthy
            // receiver's three deliveries take on a loaded machine, so it is still open when they are checked.
            try await webhooks.deliverDue(policy: WebhookRetryPolicy(maxAttempts: 3, base: 30, timeout: .seconds(600)))
        }
        // Wait (a bounded number of polls, not a measured time) for the healthy receiver's three deliveries.
        var polls = 0
        while try log(healthyID).filter({ $0.status == .delivered }).count < 3 {
            polls += 1
            guard polls < 1_500 else {
                Issue.record("the healthy receiver was held up behind the stuck one: \(try webhooks.deliveries())")
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // The stuck attempt is still open: nothing recorded for it yet.
        #expect(try log(stuckID).map(\.attempts) == [0, 0, 0])
        let bodies = try healthy.received.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.body.utf8)) }
        #expect(bodies.map { $0["data"]?["id"] } == contacts)

        close(stuck.descriptor)  // resets the connection waiting in its backlog: the stuck attempt fails now
        let report = try await pass.value
        #expect(report.attempted == 5)
        #expect(report.delivered == 3)
        #expect(report.retrying == 2)
        for id in [stuckID, refusingID] {
            let deliveries = try log(id)
            #expect(deliveries.map(\.attempts) == [1, 0, 0], "\(deliveries)")
            #expect(deliveries.map(\.status) == [.pending, .pending, .pending])
            #expect(deliveries.first?.responseStatus == nil)
            #expect(deliveries.first?.lastError?.isEmpty == false)
            #expect(deliveries.first?.nextAttemptAt == KAMAPITests.now.addingTimeInterval(30))
        }
    }
}
