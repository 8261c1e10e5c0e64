import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

/// What the server keeps between requests (`Runtime.contextJSON`'s contexts, `APIKeyService.authenticate`'s
/// verified keys) is always what a fresh read would answer: a commit by this runtime or by another connection to
/// the file (as another process's) is seen by the next request, the clock moving past a context's bound assembles
/// it again, and the scope is checked on every request.
@Suite("Context and key cache")
struct ContextCacheTests {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    /// The demo accounts in a file, a runtime over it with a clock the test moves, and the file.
    struct World {
        let runtime: Runtime
        let clock: ManualWallClock
        let file: TemporaryFile

        init() async throws {
            file = TemporaryFile("context-cache.sqlite")
            let clock = ManualWallClock(ContextCacheTests.start)
            self.clock = clock
            let store = try ClientStore.open(path: file.path, now: { clock.now })
            try DemoSeeder.seedDemo(into: store, now: ContextCacheTests.start)
            runtime = try await Runtime.open(
                RuntimeOptions(
                    databasePath: file.path, configuration: .embeddedDefaults, environment: [:], now: { clock.now },
                    ids: .sequential()),
                store: store)
        }

        /// What reading and assembling now answers, kept nowhere.
        func fresh(_ clientID: String, budget: Int? = nil) throws -> Data {
            try runtime.context(clientID: clientID, budget: budget, as: .anonymous).encodedJSON()
        }

        func served(_ clientID: String, budget: Int? = nil, as user: ActingUser = .anonymous) throws -> Data {
            try runtime.contextJSON(clientID: clientID, budget: budget, as: user)
        }

        /// Another connection pool on the same file: to SQLite, a writer like another process.
        func otherConnection() throws -> ClientStore {
            try ClientStore.open(path: file.path, now: { ContextCacheTests.start })
        }
    }

    @Test func aKeptContextIsTheFreshOne() async throws {
        let world = try await World()
        defer { world.file.remove() }
        let ids = try world.runtime.sqliteStore!.listClients().map(\.id)
        #expect(ids.count >= 5)
        for id in ids {
            for budget in [nil, 400] as [Int?] {
                let first = try world.served(id, budget: budget)
                #expect(first == (try world.fresh(id, budget: budget)), "\(id), budget \(String(describing: budget))")
                let before = world.runtime.contextCacheCounts.hits
                #expect(try world.served(id, budget: budget) == first)
                #expect(world.runtime.contextCacheCounts.hits == before + 1, "the second ask is kept: \(id)")
            }
        }
    }

    @Test func aWriteThroughTheRuntimeIsSeenByTheNextRequest() async throws {
        let world = try await World()
        defer { world.file.remove() }
        _ = try world.served("acme")
        _ = try world.served("acme")
        _ = try world.runtime.memory.remember(clientID: "acme", text: "Invoices go by post to the Ohio plant", as: .anonymous)
        let after = try world.served("acme")
        #expect(String(decoding: after, as: UTF8.self).contains("Invoices go by post"))
        #expect(after == (try world.fresh("acme")))
    }

    @Test func aWriteByAnotherConnectionIsSeenByTheNextRequest() async throws {
        let world = try await World()
        defer { world.file.remove() }
        let kept = try world.served("acme")
        #expect(try world.served("acme") == kept)
        // Another pool on the file, as `kam remember` in another process: this runtime's connections did not write.
        try world.otherConnection().remember(clientID: "acme", text: "Switching to quarterly orders", source: "user")
        let after = try world.served("acme")
        #expect(after != kept)
        #expect(String(decoding: after, as: UTF8.self).contains("Switching to quarterly orders"))
        #expect(after == (try world.fresh("acme")))
    }

    /// A server's `GET` reads the version once (`StoreVersionMemo`): inside it, a commit by another connection after
    /// the first read is not seen (the kept context of the request's start is answered); the next piece of work sees it.
    @Test func aReadOnlyPieceOfWorkReadsTheVersionOnce() async throws {
        let world = try await World()
        defer { world.file.remove() }
        let kept = try world.served("acme")
        let memo = StoreVersionMemo()
        let (first, during) = try StoreVersionMemo.$current.withValue(memo) { () throws -> (StoreVersion?, Data) in
            let first = try world.runtime.storage.dataVersion()
            try world.otherConnection().remember(clientID: "acme", text: "Switching to quarterly orders", source: "user")
            #expect(try world.runtime.storage.dataVersion() == first, "read once inside the memo")
            return (first, try world.served("acme"))
        }
        #expect(first != nil)
        #expect(during == kept, "the request answers what was true when it began")
        #expect(try world.runtime.storage.dataVersion() != first, "outside the memo, each read asks the store")
        let after = try world.served("acme")
        #expect(String(decoding: after, as: UTF8.self).contains("Switching to quarterly orders"))
        #expect(after == (try world.fresh("acme")))
    }

    @Test func theClockMovingOnIsAnsweredAsAFreshAssembly() async throws {
        let world = try await World()
        defer { world.file.remove() }
        let ids = try world.runtime.sqliteStore!.listClients().map(\.id)
        for id in ids { _ = try world.served(id) }
        // A second later: the same contexts with the new assembledAt. Then across days, ticks and due dates.
        for step: TimeInterval in [1, 3_600, 86_400, 5 * 86_400 + 7, 40 * 86_400] {
            world.clock.advance(step)
            for id in ids {
                #expect(try world.served(id) == (try world.fresh(id)), "\(id) after \(step) s")
            }
        }
        #expect(world.runtime.contextCacheCounts.hits > 0)
    }

    @Test func aKeptContextIsCheckedAgainstTheScope() async throws {
        let world = try await World()
        defer { world.file.remove() }
        let owner = try #require(try world.runtime.sqliteStore!.client(id: "acme")?.ownerID)
        _ = try world.served("acme")
        #expect(try world.served("acme", as: ActingUser(owner, scope: AccessScope(reach: .own(owner)))) == world.fresh("acme"))
        let stranger = ActingUser("stranger", scope: AccessScope(reach: .own("stranger")))
        let kept = #expect(throws: RuntimeError.self) { try world.served("acme", as: stranger) }
        let read = #expect(throws: RuntimeError.self) {
            try world.runtime.context(clientID: "acme", budget: nil, as: stranger)
        }
        #expect(kept?.kind == .notFound)
        #expect(kept?.code == read?.code)
        #expect(kept?.message == read?.message)
    }

    @Test func aKeptKeyIsRevokedDisabledAndExpiredAtOnce() async throws {
        let world = try await World()
        defer { world.file.remove() }
        let keys = world.runtime.apiKeys
        let other = try world.otherConnection()
        // Revoked by another connection.
        let revoked = try keys.create(for: "leo", as: .anonymous)
        for _ in 0..<2 {
            guard case .valid = try keys.authenticate(revoked.plaintext) else {
                Issue.record("leo's new key did not verify")
                return
            }
        }
        #expect(try APIKeyRepository(store: other).revoke(id: revoked.key.id, now: Self.start))
        #expect(try keys.authenticate(revoked.plaintext) == .invalid)
        // Its user disabled.
        let disabled = try keys.create(for: "nina", as: .anonymous)
        _ = try keys.authenticate(disabled.plaintext)
        #expect(try UserRepository(store: other).disable(id: "nina", now: Self.start))
        #expect(try keys.authenticate(disabled.plaintext) == .invalid)
        // Past its expiry, while nothing was written.
        let expiring = try keys.create(for: "tom", expiresIn: 60, as: .anonymous)
        guard case .valid = try keys.authenticate(expiring.plaintext) else {
            Issue.record("tom's key did not verify")
            return
        }
        world.clock.advance(61)
        guard case .expired = try keys.authenticate(expiring.plaintext) else {
            Issue.record("tom's key is past its expiry")
            return
        }
    }
}
