import Foundation
import KAMCore
import Testing

@testable import KAMPostgres

/// Passwords and the web page's sessions (`WebSessionStoring`), written once and run against SQLite and PostgreSQL.
@Suite("Web session store conformance")
struct WebSessionStoreConformanceTests {
    static let ana = UserAccount(id: "ana", name: "Ana Lima", email: "ana@example.com", team: "north", role: .manager)
    static let bob = UserAccount(id: "bob", name: "Bob Ray", email: "bob@example.com", team: "north")

    @Test("passwords are set and removed; credentials are found by id or email of an enabled user", arguments: StoreBackend.allCases)
    func passwords(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            try world.first.users.add(Self.ana)
            try world.first.users.add(Self.bob)
            let sessions = world.first.sessions
            #expect(try sessions.credentials(named: "ana")?.passwordHash == nil)
            #expect(try sessions.setPassword(userID: "ana", encodedHash: "scrypt$1", now: AccessWorld.start))
            #expect(try !sessions.setPassword(userID: "zed", encodedHash: "scrypt$1", now: AccessWorld.start))
            let found = try #require(try sessions.credentials(named: "ANA@Example.com"))
            #expect(found.passwordHash == "scrypt$1")
            #expect(found.membership == UserMembership(account: Self.ana, teamMemberIDs: ["ana", "bob"]))
            #expect(try sessions.credentials(named: "nobody") == nil)
            #expect(try sessions.setPassword(userID: "ana", encodedHash: nil, now: AccessWorld.start))
            #expect(try sessions.credentials(named: "ana")?.passwordHash == nil)
            #expect(try world.first.users.disable(id: "bob", now: AccessWorld.start))
            #expect(try sessions.credentials(named: "bob") == nil)
            #expect(
                try await world.eventKinds() == [
                    "user.added", "user.added", "user.password-set", "user.password-set", "user.disabled",
                ])
        }
    }

    @Test("a session is started, found by its token until it ends, and ended once", arguments: StoreBackend.allCases)
    func sessions(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            try world.first.users.add(Self.bob)
            let sessions = world.first.sessions
            let end = AccessWorld.start.addingTimeInterval(3_600)
            let (session, token) = try sessions.start(userID: "bob", now: AccessWorld.start, expiresAt: end)
            #expect(token.hasPrefix("kams_") && session.userID == "bob" && session.expiresAt == end)
            let found = try #require(try sessions.authenticate(token))
            #expect(found.session == session)
            #expect(found.membership == UserMembership(account: Self.bob))
            #expect(try sessions.authenticate("kams_unknown") == nil)
            #expect(try sessions.authenticate("nonsense") == nil)
            #expect(try sessions.end(token, now: AccessWorld.start))
            #expect(try !sessions.end(token, now: AccessWorld.start))
            #expect(try sessions.authenticate(token) == nil)
            #expect(try await world.eventKinds() == ["user.added", "session.started", "session.ended"])
            #expect(throws: (any Error).self) {
                try sessions.start(userID: "zed", now: AccessWorld.start, expiresAt: end)
            }
        }
    }

    @Test("a session ends at the store's clock, is removed by the next start, and a disabled user's stops", arguments: StoreBackend.allCases)
    func expiry(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            try world.first.users.add(Self.ana)
            try world.first.users.add(Self.bob)
            let sessions = world.first.sessions
            let (_, short) = try sessions.start(
                userID: "ana", now: AccessWorld.start, expiresAt: AccessWorld.start.addingTimeInterval(60))
            world.clock.advance(60)
            #expect(try sessions.authenticate(short) == nil)
            let (_, long) = try sessions.start(
                userID: "bob", now: world.clock.now, expiresAt: world.clock.now.addingTimeInterval(600))
            #expect(try await world.strings("SELECT user_id FROM web_sessions") == ["bob"])
            #expect(try sessions.authenticate(long) != nil)
            #expect(try world.first.users.disable(id: "bob", now: world.clock.now))
            #expect(try sessions.authenticate(long) == nil)
        }
    }

    @Test("a session ended through one process is refused by another at once; two ending it at once: one does", arguments: StoreBackend.allCases)
    func acrossProcesses(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            try world.first.users.add(Self.bob)
            let (one, two) = (world.handles[0].sessions, world.handles[1].sessions)
            let end = AccessWorld.start.addingTimeInterval(3_600)
            let (_, token) = try one.start(userID: "bob", now: AccessWorld.start, expiresAt: end)
            #expect(try two.authenticate(token) != nil)
            #expect(try two.end(token, now: AccessWorld.start))
            #expect(try one.authenticate(token) == nil)
            for round in 0..<8 {
                let (_, token) = try one.start(userID: "bob", now: AccessWorld.start, expiresAt: end)
                let outcomes = await AccessWorld.race(
                    { (try? one.end(token, now: AccessWorld.start)) ?? false },
                    { (try? two.end(token, now: AccessWorld.start)) ?? false })
                #expect(outcomes.filter { $0 }.count == 1, "round \(round): \(outcomes)")
            }
            #expect(try await world.eventSubjects(.sessionEnded).count == 9)
        }
    }
}
