import Foundation
import KAMCore
import Testing

@testable import KAMPostgres

/// Users and teams (`UserStoring`), written once and run against SQLite and PostgreSQL.
@Suite("User store conformance")
struct UserStoreConformanceTests {
    static let ana = UserAccount(id: "ana", name: "Ana Lima", email: "ana@example.com", team: "north", role: .manager)
    static let bob = UserAccount(id: "bob", name: "Bob Ray", email: "Bob@Example.com", team: "north")
    static let cy = UserAccount(
        id: "cy", name: "Cy Otto", email: "cy@example.com", role: .admin, timeZone: "Europe/Berlin")

    @Test("users are added, listed by id, read by id, and found by id or email in any case", arguments: StoreBackend.allCases)
    func addAndRead(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            let users = world.first.users
            for account in [Self.cy, Self.bob, Self.ana] { try users.add(account) }
            #expect(try users.accounts() == [Self.ana, Self.bob, Self.cy])
            #expect(try users.account(id: "cy") == Self.cy)
            #expect(try users.account(id: "CY") == nil)
            // A manager's membership holds the team; a member's and an admin's none. A membership's account has no
            // time zone (it is not read for access).
            let manager = try #require(try users.membership(named: "ANA@EXAMPLE.COM"))
            #expect(manager.account == Self.ana)
            #expect(manager.teamMemberIDs == ["ana", "bob"])
            #expect(try users.membership(named: "bob@example.com") == UserMembership(account: Self.bob))
            var admin = Self.cy
            admin.timeZone = nil
            #expect(try users.membership(named: "cy") == UserMembership(account: admin))
            #expect(try users.membership(named: "nobody@example.com") == nil)
            #expect(try users.memberIDs(team: "north") == ["ana", "bob"])
            #expect(try users.memberIDs(team: "south").isEmpty)
            #expect(try await world.eventSubjects(.userAdded) == ["cy", "bob", "ana"])
        }
    }

    @Test("an id or email already taken is refused with the store's error, and nothing is written", arguments: StoreBackend.allCases)
    func takenRefused(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            let users = world.first.users
            try users.add(Self.ana)
            let sameID = #expect(throws: StoreError.self) {
                try users.add(UserAccount(id: "ana", name: "Another Ana", email: "other@example.com"))
            }
            #expect(sameID?.code == .invalidValue)
            #expect(sameID?.message == "a user already has id 'ana'; pick another id")
            let sameEmail = #expect(throws: StoreError.self) {
                try users.add(UserAccount(id: "ana2", name: "Ana Two", email: "ANA@example.COM"))
            }
            #expect(sameEmail?.code == .invalidValue)
            #expect(sameEmail?.message == "email ANA@example.COM already belongs to user 'ana'; use another email")
            #expect(try users.accounts() == [Self.ana])
            #expect(try await world.eventKinds() == ["user.added"])
        }
    }

    @Test("time zones are set and cleared, users disabled once; unknown ids change nothing", arguments: StoreBackend.allCases)
    func timeZoneAndDisable(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            let users = world.first.users
            try users.add(Self.bob)
            #expect(try users.setTimeZone(id: "bob", "America/Chicago"))
            #expect(try users.account(id: "bob")?.timeZone == "America/Chicago")
            #expect(try users.setTimeZone(id: "bob", nil))
            #expect(try users.account(id: "bob")?.timeZone == nil)
            #expect(try !users.setTimeZone(id: "nobody", "UTC"))
            let when = AccessWorld.start.addingTimeInterval(60)
            #expect(try users.disable(id: "bob", now: when))
            #expect(try users.account(id: "bob")?.disabledAt == when)
            #expect(try users.account(id: "bob")?.isDisabled == true)
            #expect(try !users.disable(id: "bob", now: when.addingTimeInterval(60)))
            #expect(try users.account(id: "bob")?.disabledAt == when)
            #expect(try !users.disable(id: "nobody", now: when))
            #expect(
                try await world.eventKinds() == ["user.added", "user.updated", "user.updated", "user.disabled"])
        }
    }

    @Test("teams are added once, listed by id and found by id", arguments: StoreBackend.allCases)
    func teams(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            let users = world.first.users
            let north = Team(id: "north", name: "North", createdAt: AccessWorld.start)
            let east = Team(id: "east", name: "East", createdAt: AccessWorld.start.addingTimeInterval(1))
            try users.addTeam(north)
            try users.addTeam(east)
            let taken = #expect(throws: StoreError.self) {
                try users.addTeam(Team(id: "north", name: "Other", createdAt: AccessWorld.start))
            }
            #expect(taken?.code == .invalidValue)
            #expect(taken?.message == "a team already has id 'north'; `kam teams list` shows them")
            #expect(try users.teams() == [east, north])
            #expect(try users.team(id: "north") == north)
            #expect(try users.team(id: "west") == nil)
            #expect(try await world.eventSubjects(.teamAdded) == ["north", "east"])
        }
    }

    @Test("clients owned are counted by owner", arguments: StoreBackend.allCases)
    func ownedClientCounts(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            let users = world.first.users
            try users.add(Self.ana)
            try users.add(Self.bob)
            #expect(try users.ownedClientCounts().isEmpty)
            for (id, owner) in [("c1", "'ana'"), ("c2", "'ana'"), ("c3", "'bob'"), ("c4", "NULL")] {
                try await world.execute(
                    """
                    INSERT INTO clients (id, name, tier, currency, owner_id, consent_ai_analysis, consent_training,
                        lifecycle, lead_status, created_at, updated_at)
                    VALUES ('\(id)', 'Client \(id)', 'standard', 'USD', \(owner), FALSE, FALSE, 'customer', 'none', 0, 0)
                    """)
            }
            #expect(try users.ownedClientCounts() == ["ana": 2, "bob": 1])
        }
    }

    @Test(
        "two processes adding the same user, email or team at once: exactly one adds it, the other is refused",
        arguments: StoreBackend.allCases)
    func addRace(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            let (one, two) = (world.handles[0].users, world.handles[1].users)
            for round in 0..<12 {
                // The same id and email; then two ids with one email in two cases; then a team.
                let first = UserAccount(id: "u\(round)", name: "U", email: "u\(round)@example.com")
                let outcomes = await AccessWorld.race(
                    { Self.outcome { try one.add(first) } }, { Self.outcome { try two.add(first) } })
                #expect(outcomes.sorted() == ["added", "refused"], "round \(round): \(outcomes)")
                let emails = await AccessWorld.race(
                    { Self.outcome { try one.add(UserAccount(id: "v\(round)a", name: "V", email: "v\(round)@example.com")) } },
                    { Self.outcome { try two.add(UserAccount(id: "v\(round)b", name: "V", email: "V\(round)@EXAMPLE.com")) } })
                #expect(emails.sorted() == ["added", "refused"], "round \(round): \(emails)")
                let team = Team(id: "t\(round)", name: "T", createdAt: AccessWorld.start)
                let teams = await AccessWorld.race(
                    { Self.outcome { try one.addTeam(team) } }, { Self.outcome { try two.addTeam(team) } })
                #expect(teams.sorted() == ["added", "refused"], "round \(round): \(teams)")
            }
            let (accounts, teams) = (try one.accounts(), try two.teams())
            let (added, teamsAdded) = (try await world.eventSubjects(.userAdded), try await world.eventSubjects(.teamAdded))
            #expect(accounts.count == 24)
            #expect(teams.count == 12)
            #expect(added.count == 24)
            #expect(teamsAdded.count == 12)
        }
    }

    @Test("two processes disabling one user at once: exactly one disables, one event", arguments: StoreBackend.allCases)
    func disableRace(kind: StoreBackend) async throws {
        try await kind.withWorld(AccessWorld.self) { world in
            let (one, two) = (world.handles[0].users, world.handles[1].users)
            for round in 0..<8 {
                try one.add(UserAccount(id: "u\(round)", name: "U", email: "u\(round)@example.com"))
                let outcomes = await AccessWorld.race(
                    { (try? one.disable(id: "u\(round)", now: AccessWorld.start)) ?? false },
                    { (try? two.disable(id: "u\(round)", now: AccessWorld.start)) ?? false })
                #expect(outcomes.filter { $0 }.count == 1, "round \(round): \(outcomes)")
                #expect(try two.account(id: "u\(round)")?.isDisabled == true)
            }
            #expect(try await world.eventSubjects(.userDisabled).count == 8)
        }
    }

    /// "added", "refused" (the store's `.invalidValue`), or the unexpected error.
    static func outcome(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "added"
        } catch let error as StoreError where error.code == .invalidValue {
            return "refused"
        } catch {
            return "\(error)"
        }
    }
}
