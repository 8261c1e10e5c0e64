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

/// The world of the request, analytics, prompt and eval route tests: the demo store in memory with
/// `RoleTestUsers` (an admin, the enterprise team's manager, a member of growth who owns no client) and a key
/// for each, a copy of the shipped prompts (label moves write its `labels.yaml`), a fixed clock, and the API.
struct RoleRouteWorld: ServerTestJSON {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    let api: KAMAPI
    let store: ClientStore
    let prompts: URL
    let keys: [String: String]

    var runtime: Runtime { api.runtime }

    /// The `Authorization` header of `user`'s key (`RoleTestUsers.admin`, `.manager`, `.member`, or `maria`).
    func auth(_ user: String) -> HTTPFields { [.authorization: "Bearer \(keys[user] ?? "")"] }
    var admin: HTTPFields { auth(RoleTestUsers.admin) }
    var manager: HTTPFields { auth(RoleTestUsers.manager) }
    var member: HTTPFields { auth(RoleTestUsers.member) }

    /// - Parameters:
    ///   - configuration: kam.yaml text; nil: the embedded defaults (the offline writer).
    ///   - overrides: the model route of every call (a fake provider of `configuration`).
    static func make(
        configuration: String? = nil, overrides: ModelOverrides = ModelOverrides(), transport: MockTransport = MockTransport()
    ) async throws -> RoleRouteWorld {
        let store = try ClientStore.inMemory(now: { now })
        try DemoSeeder.seedDemo(into: store, now: now)
        try RoleTestUsers.add(to: store)
        var keys: [String: String] = [:]
        for user in [RoleTestUsers.admin, RoleTestUsers.manager, RoleTestUsers.member, "maria"] {
            keys[user] = try APIKeyRepository(store: store).create(userID: user, now: now).plaintext
        }
        let prompts = FileManager.default.temporaryDirectory.appendingPathComponent("kam-prompts-\(UUID().uuidString)")
        try FileManager.default.copyItem(
            at: PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory(), to: prompts)
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: try configuration.map { try KAMConfiguration.parse($0, file: "kam.yaml") } ?? .embeddedDefaults,
                promptsDirectory: prompts.path, overrides: overrides, environment: [:], now: { now }, transport: transport),
            store: store)
        return RoleRouteWorld(api: KAMAPI(runtime: runtime), store: store, prompts: prompts, keys: keys)
    }

    /// Runs `test` with a client of the router, then removes the prompt copy.
    func test<Value>(_ test: @escaping @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        defer { try? FileManager.default.removeItem(at: prompts) }
        return try await Application(router: api.router()).test(.router, test)
    }

    /// The error code of a JSON error body.
    static func errorCode(_ buffer: ByteBuffer) -> String? {
        (try? json(buffer))?["error"]?["code"]?.stringValue
    }
}
