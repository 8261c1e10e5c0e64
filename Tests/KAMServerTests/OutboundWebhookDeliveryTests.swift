import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

@testable import KAMServer

/// Outbound webhooks delivered over real HTTP (the runtime's own AsyncHTTPClient transport) to a receiver
/// listening on a loopback port: the receiver verifies the signature with the subscription's secret, a
/// receiver that answers 500 leaves the delivery failed with its status, and `/metrics` counts both.
@Suite struct OutboundWebhookDeliveryTests {
    /// What the receiver was sent.
    struct Received: Sendable {
        var path: String
        var signature: String?
        var event: String?
        var body: String
    }

    /// A local HTTP server: `POST /hook` answers 204, `POST /broken` answers 500; both keep what they got.
    final class Receiver: Sendable {
        /// What came in, in order.
        final class Inbox: Sendable {
            let items = Mutex<[Received]>([])
        }

        let inbox = Inbox()
        private let group: ServiceGroup
        private let running: Task<Void, any Error>
        let port: Int

        init() async throws {
            let router = Router()
            let inbox = self.inbox
            for (path, status) in [("/hook", HTTPResponse.Status.noContent), ("/broken", .internalServerError)] {
                router.post(RouterPath(path)) { request, context -> Response in
                    let body = try await request.body.collect(upTo: 1 << 20)
                    inbox.items.withLock {
                        $0.append(
                            Received(
                                path: path, signature: request.headers[KAMAPI.signatureHeader],
                                event: request.headers[.init("X-KAM-Event")!], body: String(buffer: body)))
                    }
                    return Response(status: status)
                }
            }
            let ports = AsyncStream.makeStream(of: Int.self)
            let application = Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "receiver"),
                onServerRunning: { channel in ports.continuation.yield(channel.localAddress?.port ?? 0) },
                logger: Logger(label: "receiver"))
            let group = ServiceGroup(
                configuration: .init(services: [application], gracefulShutdownSignals: [], logger: Logger(label: "receiver")))
            self.group = group
            running = Task { try await group.run() }
            var iterator = ports.stream.makeAsyncIterator()
            port = try #require(await iterator.next())
        }

        func stop() async throws {
            await group.triggerGracefulShutdown()
            try await running.value
        }
    }

    @Test func aDeliveryReachesARealReceiverSignedAndAFailingOneIsRecordedAsFailed() async throws {
        let (api, _, _) = try await KAMAPITests.fixture()
        let receiver = try await Receiver()
        let webhooks = api.runtime.webhooks
        let good = try webhooks.subscribe(
            url: "http://127.0.0.1:\(receiver.port)/hook", events: [.draftApproved], secret: "whsec_receiver", as: .anonymous)
        _ = try webhooks.subscribe(
            url: "http://127.0.0.1:\(receiver.port)/broken", events: [.draftApproved], secret: "whsec_broken", as: .anonymous)
        api.runtime.events.record(.draftApproved, clientID: "acme", subjectID: "d-1", ["status": "approved"])
        api.runtime.events.record(.healthChanged, clientID: "acme", subjectID: "acme", [:])

        // A generous timeout: the receiver answers at once, but the whole suite runs in parallel on two cores.
        let report = try await webhooks.deliverDue(policy: WebhookRetryPolicy(maxAttempts: 1, timeout: .seconds(60)))
        try await receiver.stop()

        #expect(report.attempted == 2)
        let outcomes = try webhooks.deliveries().map { "\($0.status) \($0.lastError ?? "")" }
        #expect(report.delivered == 1, "\(outcomes)")
        #expect(report.failed == 1)
        let received = receiver.inbox.items.withLock { $0 }.sorted { $0.path > $1.path }
        #expect(received.map(\.path) == ["/hook", "/broken"])
        let hook = try #require(received.first)
        #expect(hook.event == "draft.approved")
        // The receiver checks the signature as docs/configuration.md tells it to, with its own secret.
        try WebhookSignature.verify(hook.signature, secret: "whsec_receiver", body: Array(hook.body.utf8), now: KAMAPITests.now)
        #expect(throws: WebhookSignatureError.self) {
            try WebhookSignature.verify(hook.signature, secret: "whsec_broken", body: Array(hook.body.utf8), now: KAMAPITests.now)
        }
        let event = try JSONDecoder().decode(JSONValue.self, from: Data(hook.body.utf8))
        #expect(event["type"] == .string("draft.approved"))
        #expect(event["data"]?["id"] == .string("d-1"))

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
        #expect(metrics.contains(#"kam_webhook_deliveries{event="draft.approved",status="delivered"} 1"#))
        #expect(metrics.contains(#"kam_webhook_deliveries{event="draft.approved",status="failed"} 1"#))
        #expect(metrics.contains(#"kam_webhook_delivery_attempts{event="draft.approved",status="failed"} 1"#))
        #expect(!metrics.contains(#"event="health.changed""#))
    }

    @Test func anUnreachableReceiverIsRetriedLaterWithTheReason() async throws {
        let (api, _, _) = try await KAMAPITests.fixture()
        // A port nothing listens on: take one from a receiver, then stop it.
        let receiver = try await Receiver()
        let port = receiver.port
        try await receiver.stop()
        _ = try api.runtime.webhooks.subscribe(url: "http://127.0.0.1:\(port)/hook", events: [.draftCreated], secret: "s", as: .anonymous)
        api.runtime.events.record(.draftCreated, clientID: "acme", subjectID: "d-2", [:])

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
        #expect(metrics.contains(#"kam_webhook_deliveries{event="draft.created",status="pending"} 1"#))
    }
}
