import Foundation
import KAMCore
import KAMProviders
import KAMRuntime
import KAMStore
import KAMTesting
import Synchronization
import Testing

/// Outbound webhooks: events recorded by the services are delivered, signed, to the subscriptions that
/// asked for them; a failing receiver gets retries with backoff on the injected clock, then a failed delivery.
@Suite struct WebhookDeliveryTests {
    static let secret = "whsec_receiver"

    /// A receiver that checks each request's signature and answers `status`.
    final class Receiver: Sendable {
        let state = Mutex<(received: [(url: String, event: String, body: JSONValue?)], status: Int, badSignatures: Int)>(
            ([], 200, 0))
        let clock: ManualWallClock

        init(clock: ManualWallClock) { self.clock = clock }

        var transport: MockTransport {
            MockTransport { [self] request in
                let valid = (try? WebhookSignature.verify(
                    request.headers[WebhookSignature.headerName], secret: WebhookDeliveryTests.secret, body: request.body,
                    now: clock.now)) != nil
                return state.withLock { state in
                    if !valid { state.badSignatures += 1 }
                    state.received.append((request.url, request.headers["X-KAM-Event"] ?? "", request.jsonBody))
                    return HTTPResponseData(status: request.url.contains("failing") ? 503 : state.status, text: "")
                }
            }
        }
    }

    static func world() async throws -> (Runtime, Receiver, ManualWallClock) {
        let clock = ManualWallClock(DraftServiceTests.now)
        let receiver = Receiver(clock: clock)
        let store = try ClientStore.inMemory(now: { clock.now })
        try DemoSeeder.seedDemo(into: store, now: DraftServiceTests.now)
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: .embeddedDefaults,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { clock.now }, ids: .sequential(), transport: receiver.transport),
            store: store)
        return (runtime, receiver, clock)
    }

    @Test func eventsAreDeliveredSignedToTheSubscriptionsThatAskedForThem() async throws {
        let (runtime, receiver, _) = try await Self.world()
        let maria = ActingUser("maria")
        let early = try await runtime.drafts.generate(client: try runtime.client("acme"), kind: .followUp, hint: nil, as: maria)
        let added = try runtime.webhooks.subscribe(
            url: "http://127.0.0.1:8099/hooks", events: [.draftApproved], secret: Self.secret, as: .anonymous)
        #expect(added.secret == nil)
        _ = try runtime.webhooks.subscribe(url: "http://127.0.0.1:8099/other", events: [.emailUnmatched], secret: Self.secret, as: .anonymous)
        let draft = try await runtime.drafts.generate(client: try runtime.client("acme"), kind: .followUp, hint: nil, as: maria)
        try runtime.drafts.approve(draft.id, as: maria)
        try runtime.drafts.approve(early.id, as: maria)

        let report = try await runtime.webhooks.deliverDue()
        #expect(report.attempted == 2)
        #expect(report.delivered == 2)
        let received = receiver.state.withLock { $0.received }
        #expect(received.map(\.event) == ["draft.approved", "draft.approved"])
        #expect(received.allSatisfy { $0.url.hasSuffix("/hooks") })
        #expect(received.first?.body?["data"]?["id"]?.stringValue == draft.id)
        #expect(received.first?.body?["type"]?.stringValue == "draft.approved")
        #expect(receiver.state.withLock { $0.badSignatures } == 0)
        // Delivered once: a second pass sends nothing.
        #expect(try await runtime.webhooks.deliverDue().attempted == 0)
        #expect(try runtime.webhooks.deliveries().allSatisfy { $0.status == .delivered && $0.attempts == 1 })
    }

    @Test func aFailingReceiverIsRetriedWithBackoffThenTheDeliveryFails() async throws {
        let (runtime, receiver, clock) = try await Self.world()
        let policy = WebhookRetryPolicy(maxAttempts: 3, base: 30)
        _ = try runtime.webhooks.subscribe(url: "http://127.0.0.1:8099/failing", events: [.draftCreated], secret: Self.secret, as: .anonymous)
        _ = try await runtime.drafts.generate(client: try runtime.client("acme"), kind: .followUp, hint: nil, as: ActingUser("maria"))

        var report = try await runtime.webhooks.deliverDue(policy: policy)
        #expect(report.retrying == 1)
        var delivery = try #require(try runtime.webhooks.deliveries().first)
        #expect(delivery.status == .pending)
        #expect(delivery.attempts == 1)
        #expect(delivery.responseStatus == 503)
        #expect(delivery.nextAttemptAt == clock.now.addingTimeInterval(30))
        // Not due yet: nothing is sent.
        clock.advance(29)
        #expect(try await runtime.webhooks.deliverDue(policy: policy).attempted == 0)
        clock.advance(1)
        report = try await runtime.webhooks.deliverDue(policy: policy)
        #expect(report.retrying == 1)
        delivery = try #require(try runtime.webhooks.deliveries().first)
        #expect(delivery.attempts == 2)
        #expect(delivery.nextAttemptAt == clock.now.addingTimeInterval(60))
        clock.advance(60)
        report = try await runtime.webhooks.deliverDue(policy: policy)
        #expect(report.failed == 1)
        let failed = try runtime.webhooks.deliveries(failedOnly: true)
        #expect(failed.count == 1)
        #expect(failed.first?.attempts == 3)
        #expect(failed.first?.nextAttemptAt == nil)
        clock.advance(3_600)
        #expect(try await runtime.webhooks.deliverDue(policy: policy).attempted == 0)
        #expect(receiver.state.withLock { $0.received.count } == 3)
        #expect(receiver.state.withLock { $0.badSignatures } == 0)
    }

    @Test func theSignatureSchemeRefusesAnOldTimeAndATamperedBody() throws {
        let now = DraftServiceTests.now
        let body = Array("{\"a\":1}".utf8)
        let header = WebhookSignature.header(secret: "s", timestamp: now, body: body)
        try WebhookSignature.verify(header, secret: "s", body: body, now: now.addingTimeInterval(299))
        #expect(throws: WebhookSignatureError.self) {
            try WebhookSignature.verify(header, secret: "s", body: body, now: now.addingTimeInterval(301))
        }
        #expect(throws: WebhookSignatureError.self) {
            try WebhookSignature.verify(header, secret: "s", body: Array("{\"a\":2}".utf8), now: now)
        }
        #expect(throws: WebhookSignatureError.self) { try WebhookSignature.verify(header, secret: "t", body: body, now: now) }
    }
}
