import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMTesting
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import KAMServer

/// The server's platform: the one error shape, body limits, rate limits, request ids and logs, metrics, draining.
@Suite struct PlatformTests {
    static func error(_ response: TestResponse) throws -> (code: String?, field: String?) {
        let body = try KAMAPITests.json(response.body)
        return (body["error"]?["code"]?.stringValue, body["error"]?["field"]?.stringValue)
    }

    static func expectErrorShape(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        let document = try? OpenAPIDocument.bundled()
        guard let schema = try? document?.compiledSchema(at: "/components/schemas/Error"),
            let body = try? JSONParser().parse(bytes: Array(buffer: response.body))
        else {
            Issue.record("no Error schema, or the body is not JSON", sourceLocation: sourceLocation)
            return
        }
        for issue in schema.validate(body) {
            Issue.record(Comment(rawValue: "error body: \(issue)"), sourceLocation: sourceLocation)
        }
    }

    @Test func malformedJSONIsA400NamingTheField() async throws {
        let (api, key, _) = try await KAMAPITests.fixture()
        let cases: [(body: String, field: String?)] = [
            (#"{"client": 5}"#, "client"),
            (#"{"kind": "follow-up"}"#, "client"),
            (#"{"client": null}"#, "client"),
            (#"{"client": "acme", "hint": ["a"]}"#, "hint"),
            (#"{"client": "#, nil),
            ("[]", nil),
            ("", nil),
        ]
        try await Application(router: api.router()).test(.router) { client in
            for (body, field) in cases {
                try await client.execute(
                    uri: "/drafts", method: .post, headers: KAMAPITests.auth(key), body: KAMAPITests.body(body)
                ) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    let error = try Self.error(response)
                    #expect(error.code == "request.invalid-json", "\(body)")
                    #expect(error.field == field, "\(body)")
                    Self.expectErrorShape(response)
                }
            }
        }
    }

    @Test func aBodyOverTheLimitIs413WhetherDeclaredOrStreamed() async throws {
        let configuration = KAMConfiguration(server: ServerConfiguration(maxBodyBytes: 64))
        let (api, key, _) = try await KAMAPITests.fixture(configuration: configuration)
        let big = #"{"client": "acme", "hint": ""# + String(repeating: "x", count: 200) + #""}"#
        try await Application(router: api.router()).test(.router) { client in
            var declared = KAMAPITests.auth(key)
            declared[.contentLength] = String(big.utf8.count)
            try await client.execute(uri: "/drafts", method: .post, headers: declared, body: KAMAPITests.body(big)) {
                response in
                #expect(response.status == .contentTooLarge)
                let code = try Self.error(response).code
                #expect(code == "request.too-large")
                Self.expectErrorShape(response)
            }
            // No Content-Length: the decoder stops reading at the limit.
            try await client.execute(
                uri: "/drafts", method: .post, headers: KAMAPITests.auth(key), body: KAMAPITests.body(big)
            ) { response in
                #expect(response.status == .contentTooLarge)
                let code = try Self.error(response).code
                #expect(code == "request.too-large")
            }
            // Under the limit the same route works.
            try await client.execute(
                uri: "/drafts", method: .post, headers: KAMAPITests.auth(key), body: KAMAPITests.body(#"{"client":"acme"}"#)
            ) { #expect($0.status == .created) }
        }
    }

    @Test func unknownRoutesAnswerTheOneErrorShape() async throws {
        let (api, key, _) = try await KAMAPITests.fixture()
        try await Application(router: api.router()).test(.router) { client in
            try await client.execute(uri: "/no/such/route", method: .get, headers: KAMAPITests.auth(key)) { response in
                #expect(response.status == .notFound)
                let code = try Self.error(response).code
                #expect(code == "route.not-found")
                Self.expectErrorShape(response)
            }
            try await client.execute(uri: "/clients", method: .delete, headers: KAMAPITests.auth(key)) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow]?.contains("GET") == true)
                let code = try Self.error(response).code
                #expect(code == "route.method-not-allowed")
            }
            // Only the methods of the route the path reaches: `/prompts/{id}/labels/history` is not `.../labels/{label}`.
            try await client.execute(uri: "/prompts/drafts.follow-up/labels/history", method: .options, headers: KAMAPITests.auth(key)) {
                response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
            }
            try await client.execute(uri: "/prompts/drafts.follow-up/labels/production", method: .options, headers: KAMAPITests.auth(key)) {
                #expect($0.headers[.allow] == "PUT")
            }
            try await client.execute(uri: "/clients", method: .get) {
                #expect($0.status == .unauthorized)
                Self.expectErrorShape($0)
            }
        }
    }

    @Test func aRouteLimitRefusesThatRouteOnlyAndIsCounted() async throws {
        let configuration = KAMConfiguration(rateLimits: [
            RateLimitConfiguration(target: .route("GET /clients"), requestsPerMinute: 2)
        ])
        let (api, key, _) = try await KAMAPITests.fixture(configuration: configuration, clock: ManualClock())
        try await Application(router: api.router()).test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/clients", method: .get, headers: KAMAPITests.auth(key)) {
                    #expect($0.status == .ok)
                }
            }
            try await client.execute(uri: "/clients", method: .get, headers: KAMAPITests.auth(key)) { response in
                #expect(response.status == .tooManyRequests)
                let code = try Self.error(response).code
                #expect(code == "api.rate-limited")
                #expect(String(buffer: response.body).contains("GET /clients"))
                let retryAfter = try #require(response.headers[.retryAfter].flatMap { Int($0) })
                #expect(retryAfter >= 1 && retryAfter <= 60)
                Self.expectErrorShape(response)
            }
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"kam_rate_limit_refusals_total{limit="route",route="/clients"} 1"#))
            }
        }
    }

    @Test func routeLimitsAreReadFromKamYAML() throws {
        let configuration = try KAMConfiguration.parse(
            """
            server: {max_body_bytes: 2048, metrics_port: 9464, shutdown_grace_seconds: 5}
            rate_limits:
              - {route: "POST /drafts", requests_per_minute: 10}
              - {per_user: true, requests_per_minute: 100}
            """, file: "kam.yaml")
        #expect(configuration.server == ServerConfiguration(maxBodyBytes: 2048, metricsPort: 9464, shutdownGraceSeconds: 5))
        #expect(configuration.rateLimits.first?.target == .route("POST /drafts"))
        for bad in ["rate_limits: [{route: \"FETCH /x\", requests_per_minute: 1}]", "server: {max_body_bytes: 0}",
            "server: {metrics_port: 70000}", "server: {unknown: 1}"]
        {
            #expect(throws: ConfigurationError.self, "\(bad)") { try KAMConfiguration.parse(bad, file: "kam.yaml") }
        }
    }

    @Test func requestIDsAreAnsweredAndTheLogLineHoldsNoKey() async throws {
        let lines = LogCapture()
        let (fixtureAPI, key, _) = try await KAMAPITests.fixture()
        let api = KAMAPI(runtime: fixtureAPI.runtime, logger: Logger(label: "test") { _ in lines })
        try await Application(router: api.router()).test(.router) { client in
            var headers = KAMAPITests.auth(key)
            headers[RequestLogMiddleware.requestIDHeader] = "trace-42"
            try await client.execute(uri: "/clients", method: .get, headers: headers) {
                #expect($0.headers[RequestLogMiddleware.requestIDHeader] == "trace-42")
            }
            headers[RequestLogMiddleware.requestIDHeader] = "bad id with spaces"
            try await client.execute(uri: "/clients/nobody/context", method: .get, headers: headers) {
                let id = $0.headers[RequestLogMiddleware.requestIDHeader]
                #expect(id != nil && id != "bad id with spaces")
            }
        }
        let entries = lines.entries
        #expect(entries.count == 2)
        let first = try #require(entries.first)
        #expect(first["request_id"] == "trace-42")
        #expect(first["user"] == "maria")
        #expect(first["route"] == "/clients")
        #expect(first["status"] == "200")
        #expect(first["latency_ms"] != nil)
        #expect(entries.last?["route"] == "/clients/{id}/context")
        #expect(entries.last?["status"] == "404")
        for entry in entries {
            #expect(!entry.values.joined().contains(key), "the log holds the API key")
        }
    }

    @Test func metricsCountRequestsByRouteAndReadTheLedger() async throws {
        let budget = Budget(scope: .global, period: .total, amount: Money(dollars: 5))
        let (api, key, _) = try await KAMAPITests.fixture(configuration: KAMConfiguration(budgets: [budget]))
        try await Application(router: api.router()).test(.router) { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/clients", method: .get, headers: KAMAPITests.auth(key)) {
                    #expect($0.status == .ok)
                }
            }
            try await client.execute(
                uri: "/drafts", method: .post, headers: KAMAPITests.auth(key), body: KAMAPITests.body(#"{"client":"acme"}"#)
            ) { #expect($0.status == .created) }
            try await client.executeDocumented(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"kam_http_requests_total{method="GET",route="/clients",status="200"} 3"#))
                #expect(text.contains(#"kam_http_request_duration_seconds_count{method="GET",route="/clients"} 3"#))
                #expect(text.contains(#"kam_model_calls{model="offline"} 1"#))
                #expect(text.contains("kam_model_tokens{model=\"offline\",direction=\"input\"}"))
                #expect(text.contains("kam_budget_remaining_dollars{"))
            }
        }
    }

    @Test func metricsMoveToTheirOwnPortWhenConfigured() async throws {
        let configuration = KAMConfiguration(server: ServerConfiguration(metricsPort: 9464))
        let (api, _, _) = try await KAMAPITests.fixture(configuration: configuration)
        #expect(!api.routeTable().descriptors.contains { $0.path == "/metrics" })
        let (plain, _, _) = try await KAMAPITests.fixture()
        #expect(plain.routeTable().descriptors.contains { $0.path == "/metrics" && $0.open })
    }

    @Test func gracefulShutdownLetsARequestInFlightFinish() async throws {
        let (api, _, _) = try await KAMAPITests.fixture()
        let table = api.routeTable()
        let started = AsyncStream.makeStream(of: Void.self)
        let release = AsyncStream.makeStream(of: Void.self)
        table.get("/slow", open: true) { _, _ in
            started.continuation.yield()
            for await _ in release.stream { break }
            return try JSONResponse.make(["done": true])
        }
        let port = AsyncStream.makeStream(of: Int.self)
        let group = api.serviceGroup(host: "127.0.0.1", port: 0, signals: [], router: table.router) {
            port.continuation.yield($0)
        }
        let running = Task { try await group.run() }
        var ports = port.stream.makeAsyncIterator()
        let listening = try #require(await ports.next())
        // A read timeout far above the 15 s default: on a loaded machine the shutdown and the answer can take longer,
        // and the test is about the answer coming, not its speed.
        let client = TestClient(host: "127.0.0.1", port: listening, configuration: .init(timeout: .seconds(300)))
        client.connect()
        let request = Task { try await client.get("/slow") }
        var starts = started.stream.makeAsyncIterator()
        _ = await starts.next()
        await group.triggerGracefulShutdown()
        release.continuation.yield()
        let response = try await request.value
        #expect(response.head.status == .ok)
        #expect(response.body.map { String(buffer: $0) } == #"{"done":true}"#)
        try await running.value
        try await client.shutdown()
    }
}

/// A log handler that keeps each entry's metadata as text (plus the message under `message`).
final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = Mutex<[[String: String]]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    var entries: [[String: String]] { lock.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var entry = (metadata.merging(event.metadata ?? [:]) { $1 }).mapValues { "\($0)" }
        entry["message"] = "\(event.message)"
        lock.withLock { $0.append(entry) }
    }
}
