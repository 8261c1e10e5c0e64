import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMProviders
import KAMResources
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// The world of the draft, suggestion and feedback route tests: the demo store in memory (maria owns acme,
/// initech and stark; tom owns globex), a key for maria, a fixed clock, and the API over them.
struct RouteTestWorld: ServerTestJSON {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    let api: KAMAPI
    let store: ClientStore
    let key: String

    var runtime: Runtime { api.runtime }
    var auth: HTTPFields { [.authorization: "Bearer \(key)"] }

    /// - Parameters:
    ///   - configuration: kam.yaml text; nil: the embedded defaults (the offline writer).
    ///   - transport: the fake HTTP of the configured providers.
    static func make(configuration: String? = nil, transport: MockTransport = MockTransport { _ in throw URLError(.notConnectedToInternet) })
        async throws -> RouteTestWorld
    {
        let store = try ClientStore.inMemory(now: { now })
        try DemoSeeder.seedDemo(into: store, now: now)
        let key = try APIKeyRepository(store: store).create(userID: "maria", now: now).plaintext
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: try configuration.map { try KAMConfiguration.parse($0, file: "kam.yaml") } ?? .embeddedDefaults,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { now }, transport: transport),
            store: store)
        return RouteTestWorld(api: KAMAPI(runtime: runtime), store: store, key: key)
    }

    /// Runs `test` with a client of the router.
    func test<Value>(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await Application(router: api.router()).test(.router, test)
    }

    /// The number of drafts stored.
    func draftCount() throws -> Int {
        try DraftRepository(store: store).list(limit: 10_000).count
    }

    /// The `error.code` of a refusal (nil when the body is not the error shape).
    static func errorCode(_ response: TestResponse) -> String? {
        (try? json(response.body))?["error"]?.text("code")
    }

    /// POSTs each body of `cases` to `uri` as maria and expects a 400 with its error code.
    func expectBadRequests(
        _ client: any TestClientProtocol, uri: String, _ cases: [(body: String, code: String)],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await expectRefusals(
            client, .badRequest, cases.map { (uri, $0.body, $0.code) }, sourceLocation: sourceLocation)
    }

    /// POSTs each case's body to its `uri` as maria and expects `status` with the case's error code.
    func expectRefusals(
        _ client: any TestClientProtocol, _ status: HTTPResponse.Status, _ cases: [(uri: String, body: String, code: String)],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        for (uri, body, code) in cases {
            try await client.executeDocumented(
                uri: uri, method: .post, headers: auth, body: Self.body(body), sourceLocation: sourceLocation
            ) { response in
                #expect(response.status == status, "\(uri) \(body)", sourceLocation: sourceLocation)
                #expect(Self.errorCode(response) == code, "\(uri) \(body)", sourceLocation: sourceLocation)
            }
        }
    }
}

extension HTTPFields {
    /// These fields and `other`'s.
    func merging(_ other: HTTPFields) -> HTTPFields {
        var fields = self
        fields.append(contentsOf: other)
        return fields
    }
}

extension JSONValue {
    /// `self[key]` as text, for short assertions.
    func text(_ key: String) -> String? { self[key]?.stringValue }

    /// The `items` of a page.
    var items: [JSONValue] { self["items"]?.arrayValue ?? [] }
}
