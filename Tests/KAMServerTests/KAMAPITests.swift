import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMResources
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

@Suite struct KAMAPITests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// A demo store, a key for maria, and the API over them (offline provider, embedded defaults).
    /// A demo store, Maria's key, and the API over them. The rate limits' clock is `clock`: a test of a limit passes a
    /// `ManualClock`, since on a loaded machine the requests of a test could be far enough apart on the wall clock for
    /// a bucket to refill between them.
    static func fixture(configuration: KAMConfiguration = .embeddedDefaults, clock: any Clock<Duration> = ContinuousClock())
        async throws -> (KAMAPI, String, ClientStore)
    {
        let store = try ClientStore.inMemory(now: { now })
        try DemoSeeder.seedDemo(into: store, now: now)
        let key = try APIKeyRepository(store: store).create(userID: "maria", now: now).plaintext
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: configuration,
                promptsDirectory: (PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()).path,
                environment: [:], now: { now }),
            store: store)
        return (KAMAPI(runtime: runtime, clock: clock), key, store)
    }

    static func auth(_ key: String) -> HTTPFields { [.authorization: "Bearer \(key)"] }

    static func json(_ buffer: ByteBuffer) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: buffer).utf8))
    }

    static func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func healthIsOpenButOtherRoutesNeedAValidKey() async throws {
        let (api, _, _) = try await Self.fixture()
        try await Application(router: api.router()).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/clients", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("auth.missing"))
            }
            try await client.execute(uri: "/clients", method: .get, headers: Self.auth("kam_0123456789abcdef0123456789abcdef")) {
                response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("auth.invalid"))
            }
        }
    }

    @Test func revokedKeyIsRefused() async throws {
        let (api, key, store) = try await Self.fixture()
        let repository = APIKeyRepository(store: store)
        #expect(try repository.verify(key)?.userID == "maria")
        let id = try #require(try repository.list(userID: "maria").first?.id)
        #expect(try repository.revoke(id: id, now: Self.now))
        try await Application(router: api.router()).test(.router) { client in
            try await client.execute(uri: "/clients", method: .get, headers: Self.auth(key)) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test func clientsListsTheDemoIDs() async throws {
        let (api, key, _) = try await Self.fixture()
        try await Application(router: api.router()).test(.router) { client in
            try await client.execute(uri: "/clients", method: .get, headers: Self.auth(key)) { response in
                #expect(response.status == .ok)
                guard case .array(let clients)? = try Self.json(response.body)["items"] else {
                    Issue.record("no items array"); return
                }
                let ids = Set(clients.compactMap { client -> String? in
                    if case .object(let fields) = client, case .string(let id)? = fields["id"] { return id }
                    return nil
                })
                #expect(ids.isSuperset(of: ["acme", "globex", "initech"]))
            }
        }
    }

    @Test func contextOfAcmeFitsTheBudget() async throws {
        let (api, key, _) = try await Self.fixture()
        try await Application(router: api.router()).test(.router) { client in
            try await client.execute(uri: "/clients/acme/context?budget=2000", method: .get, headers: Self.auth(key)) {
                response in
                #expect(response.status == .ok)
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let context = try decoder.decode(AssembledContext.self, from: Data(String(buffer: response.body).utf8))
                #expect(context.clientID == "acme")
                #expect(context.totalTokens <= 2000)
                #expect(context.text.contains("Acme"))
            }
            try await client.execute(uri: "/clients/nobody/context", method: .get, headers: Self.auth(key)) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func postDraftCreatesAPendingOfflineDraftAndApprovingTwiceConflicts() async throws {
        let (api, key, _) = try await Self.fixture()
        try await Application(router: api.router()).test(.router) { client in
            let id = try await client.execute(
                uri: "/drafts", method: .post, headers: Self.auth(key),
                body: Self.body(#"{"client":"acme","kind":"follow-up","hint":"renewal call next week"}"#)
            ) { response -> String in
                #expect(response.status == .created)
                guard case .object(let draft) = try Self.json(response.body) else { return "" }
                #expect(draft["status"] == .string("pending"))
                #expect(draft["is_offline"] == .bool(true))
                #expect(draft["client_id"] == .string("acme"))
                guard case .string(let id)? = draft["id"] else { return "" }
                return id
            }
            try await client.execute(uri: "/drafts?status=pending", method: .get, headers: Self.auth(key)) { response in
                #expect(String(buffer: response.body).contains(id))
            }
            try await client.execute(uri: "/drafts/\(id)/approve", method: .post, headers: Self.auth(key)) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/drafts/\(id)/approve", method: .post, headers: Self.auth(key)) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("is approved"))
            }
            try await client.execute(uri: "/drafts/d-missing/approve", method: .post, headers: Self.auth(key)) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func rejectNeedsAPendingDraftAndRecordsTheReason() async throws {
        let (api, key, _) = try await Self.fixture()
        try await Application(router: api.router()).test(.router) { client in
            let id = try await client.execute(
                uri: "/drafts", method: .post, headers: Self.auth(key), body: Self.body(#"{"client":"globex"}"#)
            ) { response -> String in
                guard case .object(let draft) = try Self.json(response.body), case .string(let id)? = draft["id"] else {
                    return ""
                }
                return id
            }
            try await client.execute(
                uri: "/drafts/\(id)/reject", method: .post, headers: Self.auth(key), body: Self.body(#"{"reason":"too long"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("rejected"))
            }
        }
    }

    @Test func overThePerUserLimitGets429WithRetryAfter() async throws {
        let configuration = KAMConfiguration(rateLimits: [RateLimitConfiguration(target: .perUser, requestsPerMinute: 2)])
        let (api, key, _) = try await Self.fixture(configuration: configuration, clock: ManualClock())
        try await Application(router: api.router()).test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(uri: "/clients", method: .get, headers: Self.auth(key)) {
                    #expect($0.status == .ok)
                }
            }
            try await client.execute(uri: "/clients", method: .get, headers: Self.auth(key)) { response in
                #expect(response.status == .tooManyRequests)
                let retryAfter = try #require(response.headers[.retryAfter].flatMap { Int($0) })
                #expect(retryAfter >= 1 && retryAfter <= 60)
            }
        }
    }
}
