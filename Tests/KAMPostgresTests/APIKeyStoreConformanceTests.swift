import Foundation
import KAMCore
import Testing

@testable import KAMPostgres

/// The server's API keys (`APIKeyStoring`), written once and run against SQLite and PostgreSQL.
@Suite("API key store conformance")
struct APIKeyStoreConformanceTests {
    static let ana = UserAccount(id: "ana", name: "Ana Lima", email: "ana@example.com", team: "north", role: .manager)
    static let bob = UserAccount(id: "bob", name: "Bob Ray", email: "bob@example.com", team: "north")

    static func addUsers(_ world: AccessWorld) throws {
        try world.first.users.add(ana)
        try world.first.users.add(bob)
    }

    @Test("a key is created, verified with its user's membership, listed newest first and revoked once", arguments: StoreBackend.allCases)
    func lifecycle(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            try Self.addUsers(world)
            let keys = world.first.keys
            let (key, plaintext) = try keys.create(userID: "ana", now: AccessWorld.start)
            #expect(plaintext.hasPrefix("kam_") && plaintext.count == 36)
            #expect(key.userID == "ana" && key.createdAt == AccessWorld.start && key.expiresAt == nil)
            #expect(try keys.verify(plaintext) == key)
            #expect(try keys.check(plaintext) == .valid(key))
            #expect(try keys.authenticate(plaintext) == .valid(key, UserMembership(account: Self.ana, teamMemberIDs: ["ana", "bob"])))
            let later = AccessWorld.start.addingTimeInterval(10)
            let (bobs, _) = try keys.create(userID: "bob", now: later, expiresAt: later.addingTimeInterval(3_600))
            #expect(try keys.list() == [bobs, key])
            #expect(try keys.list(userID: "ana") == [key])
            #expect(try keys.list(userID: "nobody").isEmpty)
            // Unknown, malformed and revoked keys are all simply invalid.
            #expect(try keys.check("kam_" + String(repeating: "0", count: 32)) == .invalid)
            #expect(try keys.check("not-a-key") == .invalid)
            #expect(try keys.revoke(id: key.id, now: later))
            #expect(try !keys.revoke(id: key.id, now: later))
            #expect(try !keys.revoke(id: "k-none", now: later))
            #expect(try keys.check(plaintext) == .invalid)
            #expect(try keys.verify(plaintext) == nil)
            var revoked = key
            revoked.revokedAt = later
            #expect(try keys.list(userID: "ana") == [revoked])
            #expect(try await world.eventKinds() == ["user.added", "user.added", "key.created", "key.created", "key.revoked"])
        }
    }

    @Test("a key expires at the store's clock; a disabled user's keys stop; unknown or disabled users get none", arguments: StoreBackend.allCases)
    func expiryAndRefusals(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            try Self.addUsers(world)
            let keys = world.first.keys
            let (key, plaintext) = try keys.create(
                userID: "bob", now: AccessWorld.start, expiresAt: AccessWorld.start.addingTimeInterval(60))
            #expect(try keys.check(plaintext) == .valid(key))
            world.clock.advance(60)
            #expect(try keys.check(plaintext) == .expired(key))
            #expect(try keys.authenticate(plaintext) == .expired(key))
            #expect(try keys.verify(plaintext) == nil)
            let (other, otherText) = try keys.create(userID: "bob", now: world.clock.now)
            #expect(try keys.check(otherText) == .valid(other))
            #expect(try world.first.users.disable(id: "bob", now: world.clock.now))
            #expect(try keys.check(otherText) == .invalid)
            let disabled = #expect(throws: StoreError.self) { try keys.create(userID: "bob", now: world.clock.now) }
            #expect(disabled?.code == .invalidValue)
            #expect(disabled?.message == "user 'bob' is disabled; a disabled user gets no keys")
            let unknown = #expect(throws: StoreError.self) { try keys.create(userID: "zed", now: world.clock.now) }
            #expect(unknown?.message == "no user has id 'zed'; add the user first (`kam users add`) or pick an existing one")
            #expect(try keys.list().count == 2)
        }
    }

    @Test("a key made through one process works in another, and a revocation or a disabled user is seen there at once", arguments: StoreBackend.allCases)
    func acrossProcesses(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            try Self.addUsers(world)
            let (one, two) = (world.handles[0].keys, world.handles[1].keys)
            let (key, plaintext) = try one.create(userID: "ana", now: AccessWorld.start)
            let (bobs, bobText) = try one.create(userID: "bob", now: AccessWorld.start)
            #expect(try two.verify(plaintext) == key)
            #expect(try two.verify(bobText) == bobs)
            #expect(try two.revoke(id: key.id, now: AccessWorld.start))
            #expect(try one.check(plaintext) == .invalid)
            #expect(try world.handles[1].users.disable(id: "bob", now: AccessWorld.start))
            #expect(try one.check(bobText) == .invalid)
        }
    }

    @Test("two processes revoking one key at once: exactly one revokes it, one event", arguments: StoreBackend.allCases)
    func revokeRace(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            try Self.addUsers(world)
            let (one, two) = (world.handles[0].keys, world.handles[1].keys)
            for round in 0..<8 {
                let (key, _) = try one.create(userID: "ana", now: AccessWorld.start)
                let outcomes = await AccessWorld.race(
                    { (try? one.revoke(id: key.id, now: AccessWorld.start)) ?? false },
                    { (try? two.revoke(id: key.id, now: AccessWorld.start)) ?? false })
                #expect(outcomes.filter { $0 }.count == 1, "round \(round): \(outcomes)")
            }
            #expect(try await world.eventSubjects(.keyRevoked).count == 8)
        }
    }
}
