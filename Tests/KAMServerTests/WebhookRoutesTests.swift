import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@testable import KAMServer

/// `POST /webhooks/email`: a wrong signature, an old timestamp and a replay each store nothing; a good
/// delivery stores the message exactly once, and its replay answers 200 with the first answer.
@Suite struct WebhookRoutesTests {
    static let secret = "whsec_test_secret"

    static func message(id: String, from: String = "Jane Smith <jane.smith@acme.example>") -> String {
        [
            "From: noreply@tickets.relay.example", "Reply-To: \(from)", "To: maria.lopez@kam.example",
            "Subject: Quote", "Date: Mon, 09 Mar 2026 10:00:00 +0000", "Message-ID: <\(id)@acme.example>", "",
            "Could you send the revised quote by Friday?",
        ].joined(separator: "\r\n")
    }

    static func headers(_ body: String, at time: Date = KAMAPITests.now, secret: String = secret) -> HTTPFields {
        [
            .contentType: "message/rfc822", KAMAPI.sourceHeader: "relay",
            KAMAPI.signatureHeader: WebhookSignature.header(secret: secret, timestamp: time, body: Array(body.utf8)),
        ]
    }

    static func fixture() async throws -> (KAMAPI, ClientStore) {
        let (api, _, store) = try await KAMAPITests.fixture()
        try WebhookSourceRepository(store: store).upsert(name: "relay", secret: .stored(secret), now: KAMAPITests.now)
        return (api, store)
    }

    static func stored(_ api: KAMAPI) throws -> Int { try api.runtime.email.list(limit: 500).count }

    @Test func refusedDeliveriesStoreNothing() async throws {
        let (api, store) = try await Self.fixture()
        let body = Self.message(id: "refused")
        var wrong = Self.headers(body, secret: "another secret")
        var old = Self.headers(body, at: KAMAPITests.now.addingTimeInterval(-301))
        var missing = Self.headers(body)
        missing[KAMAPI.signatureHeader] = nil
        var unknown = Self.headers(body)
        unknown[KAMAPI.sourceHeader] = "nobody"
        var tampered = Self.headers(body)
        tampered[.contentType] = "message/rfc822"
        wrong[.contentType] = "message/rfc822"
        old[.contentType] = "message/rfc822"
        let cases: [(HTTPFields, String, String)] = [
            (wrong, body, "webhook.signature-invalid"), (old, body, "webhook.signature-expired"),
            (missing, body, "webhook.signature-missing"), (unknown, body, "webhook.unknown-source"),
            (tampered, body + "\r\nP.S. wire me the money", "webhook.signature-invalid"),
        ]
        try await Application(router: api.router()).test(.router) { client in
            for (headers, text, code) in cases {
                try await client.execute(uri: "/webhooks/email", method: .post, headers: headers, body: KAMAPITests.body(text)) {
                    response in
                    #expect(response.status == .unauthorized)
                    #expect(String(buffer: response.body).contains(code))
                }
            }
        }
        #expect(try Self.stored(api) == 0)
        #expect(try WebhookSourceRepository(store: store).receiptCount() == 0)
    }

    @Test func aGoodDeliveryStoresOnceAndItsReplayAnswersTheFirstResult() async throws {
        let (api, store) = try await Self.fixture()
        let body = Self.message(id: "good")
        try await Application(router: api.router()).test(.router) { client in
            let first = try await client.execute(uri: "/webhooks/email", method: .post, headers: Self.headers(body), body: KAMAPITests.body(body)) {
                response in
                #expect(response.status == .ok)
                #expect(response.headers[KAMAPI.replayedHeader] == "false")
                let json = try KAMAPITests.json(response.body)
                #expect(json["result"]?["status"]?.stringValue == "new")
                #expect(json["result"]?["client"]?.stringValue == "acme")
                #expect(json["result"]?["matchReason"]?.stringValue?.contains("Reply-To") == true)
                // Compared as values: the printed form of an object follows the dictionary's unstable key order.
                return json["result"]
            }
            // The same message again, freshly signed a minute later: nothing new, the first answer.
            let later = KAMAPITests.now.addingTimeInterval(60)
            try await client.execute(
                uri: "/webhooks/email", method: .post, headers: Self.headers(body, at: later), body: KAMAPITests.body(body)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[KAMAPI.replayedHeader] == "true")
                let again = try KAMAPITests.json(response.body)["result"]
                #expect(again == first)
            }
        }
        #expect(try Self.stored(api) == 1)
        #expect(try WebhookSourceRepository(store: store).receiptCount() == 1)
        #expect(try api.runtime.email.entry("good@acme.example").clientID == "acme")
    }

    @Test func aJSONEnvelopeCarriesTheRawMessage() async throws {
        let (api, _) = try await Self.fixture()
        let raw = Self.message(id: "json", from: "stranger@unknown-company.example")
        let envelope = String(decoding: try JSONEncoder().encode(["raw": raw]), as: UTF8.self)
        var jsonHeaders = Self.headers(envelope)
        jsonHeaders[.contentType] = "application/json"
        let headers = jsonHeaders
        try await Application(router: api.router()).test(.router) { client in
            try await client.execute(uri: "/webhooks/email", method: .post, headers: headers, body: KAMAPITests.body(envelope)) {
                response in
                #expect(response.status == .ok)
                let status = try KAMAPITests.json(response.body)["result"]?["status"]?.stringValue
                #expect(status == "unmatched")
            }
            let bad = "{\"text\": 1}"
            var badJSON = Self.headers(bad)
            badJSON[.contentType] = "application/json"
            let badHeaders = badJSON
            try await client.execute(uri: "/webhooks/email", method: .post, headers: badHeaders, body: KAMAPITests.body(bad)) {
                response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("webhook.body-invalid"))
            }
        }
        #expect(try Self.stored(api) == 1)
        #expect(try api.runtime.events.list(kinds: [.emailUnmatched], as: .anonymous).count == 1)
    }
}
