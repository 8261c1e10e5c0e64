import Foundation
import KAMCore
import KAMStore

/// Users of the team server, their roles and time zones (`kam users add|list|update|disable`; `GET /users`,
/// `GET|PATCH /users/{id}`).
///
/// For example:
/// ```swift
/// let ana = try runtime.users.add(
///     UserService.NewUser(id: "ana", name: "Ana Lima", email: "ana@example.com", team: "north", role: .member),
///     as: ActingUser("maria"))                              // an admin; a member or manager gets RoleRefusal
/// try runtime.users.disable("ana", as: ActingUser("maria"))   // her keys stop working at once
/// ```
public struct UserService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any UserStoring { runtime.userStore }

    /// What `kam users add` takes.
    public struct NewUser: Sendable {
        public var id: String
        public var name: String
        public var email: String
        public var team: String?
        public var role: UserRole
        /// An IANA time zone (`Europe/Berlin`); nil: the configured one (kam.yaml's `jobs.time_zone`).
        public var timeZone: String?

        public init(
            id: String, name: String, email: String, team: String? = nil, role: UserRole = .member, timeZone: String? = nil
        ) {
            self.id = id
            self.name = name
            self.email = email
            self.team = team
            self.role = role
            self.timeZone = timeZone
        }
    }

    /// Adds a user; only an admin (or a local run without `--user`) may.
    /// - Throws: `RoleRefusal` for a member or manager; `RuntimeError` `.invalidInput` for a bad id, an empty
    ///   name, a bad email, a manager without a team, an unknown time zone; `.wrongState` (`user.exists`) for an id or
    ///   email already taken; `.notFound` (`team.not-found`) for an unknown team.
    @discardableResult
    public func add(_ new: NewUser, as user: ActingUser) throws -> UserAccount {
        try runtime.requireAdmin(user, for: "adding a user")
        let id = new.id.trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty, Slug.make(id) == id else {
            throw RuntimeError(
                .invalidInput, code: "user.invalid-id",
                "user id '\(id)' must be lower-case letters, digits and dashes; try '\(Slug.make(id).isEmpty ? "ana" : Slug.make(id))'")
        }
        let name = new.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else {
            throw RuntimeError(.invalidInput, code: "user.name-missing", "user '\(id)': --name is empty; give the person's name")
        }
        let email = new.email.trimmingCharacters(in: .whitespaces)
        if let problem = EmailSyntax.problem(email) {
            throw RuntimeError(.invalidInput, code: "user.invalid-email", "user '\(id)': --email '\(email)' is not an address: \(problem)")
        }
        let team = new.team?.trimmingCharacters(in: .whitespaces)
        if let team, try repository.team(id: team) == nil {
            let known = try repository.teams().map(\.id)
            throw RuntimeError(
                .notFound, code: "team.not-found",
                "user '\(id)': no team has id '\(team)'; add it with `kam teams add \(team) --name NAME`"
                    + (known.isEmpty ? "" : " or use one of: \(known.joined(separator: ", "))"))
        }
        if new.role == .manager, team == nil {
            throw RuntimeError(
                .invalidInput, code: "user.manager-without-team",
                "user '\(id)': a manager sees their team's clients; give --team")
        }
        let zone = try new.timeZone.map { try Self.checkedTimeZone($0, user: id).identifier }
        let account = UserAccount(id: id, name: name, email: email, team: team, role: new.role, timeZone: zone)
        do {
            try repository.add(account)
        } catch let error as StoreError where error.code == .invalidValue {
            throw RuntimeError(.wrongState, code: "user.exists", error.message)
        }
        return account
    }

    /// Every user, by id.
    public func list() throws -> [UserAccount] {
        try repository.accounts()
    }

    /// The users `user` may see, by id: every one for an admin (or a local run without `--user`), their team's for a
    /// manager, themselves for a member (`GET /users`).
    public func list(as user: ActingUser) throws -> [UserAccount] {
        let scope = try runtime.scope(for: user)
        return try list().filter { scope.userIDs?.contains($0.id) ?? true }
    }

    /// User `id` when `user` may see them (as `list(as:)`).
    /// - Throws: `RuntimeError` `.notFound` (`user.not-found`), the same for an unknown user and one outside the scope.
    public func account(_ id: String, as user: ActingUser) throws -> UserAccount {
        let found = try account(id)
        guard try runtime.scope(for: user).userIDs?.contains(found.id) ?? true else {
            throw RuntimeError(.notFound, code: "user.not-found", "no user has id '\(id)'; `GET /users` lists those you may see")
        }
        return found
    }

    /// The user with id `id`.
    /// - Throws: `RuntimeError` `.notFound` (`user.not-found`).
    public func account(_ id: String) throws -> UserAccount {
        guard let account = try repository.account(id: id) else {
            throw RuntimeError(.notFound, code: "user.not-found", "no user has id '\(id)'; `kam users list` shows them")
        }
        return account
    }

    /// Sets user `id`'s time zone (their daily review runs at 08:00 there), or with nil returns them to the
    /// configured one. Only an admin (or a local run without `--user`) may.
    /// - Throws: `RoleRefusal` for a member or manager; `RuntimeError` `.notFound` (`user.not-found`),
    ///   `.invalidInput` (`user.invalid-time-zone`).
    @discardableResult
    public func setTimeZone(_ id: String, to zone: String?, as user: ActingUser) throws -> UserAccount {
        try update(id, timeZone: .some(zone), as: user)
    }

    /// Changes user `id` as `PATCH /users/{id}` asks: with `timeZone` their zone (`.some(nil)`: the configured one
    /// again), with `disable` disables them (their keys and web sessions refused at once). Everything is checked
    /// before anything is written. Only an admin (or a local run without `--user`) may, and not on themselves.
    /// - Throws: `RoleRefusal` for a member or manager; `RuntimeError` `.notFound` (`user.not-found`),
    ///   `.invalidInput` (`user.invalid-time-zone`), `.wrongState` (`user.disabled` when already disabled,
    ///   `user.self-disable` for an admin disabling themselves).
    @discardableResult
    public func update(_ id: String, timeZone zone: String?? = nil, disable: Bool = false, as user: ActingUser) throws
        -> UserAccount
    {
        try runtime.requireAdmin(user, for: disable ? "disabling a user" : "changing a user's time zone")
        let account = try account(id)
        let name = try zone.map { try $0.map { try Self.checkedTimeZone($0, user: id).identifier } }
        if disable {
            guard !account.isDisabled else {
                throw RuntimeError(.wrongState, code: "user.disabled", "user '\(account.id)' is already disabled")
            }
            guard account.id != user.id else {
                throw RuntimeError(
                    .wrongState, code: "user.self-disable",
                    "user '\(account.id)' cannot disable themselves (their own key would stop working); another admin may")
            }
        }
        if let name { try repository.setTimeZone(id: account.id, name) }
        if disable {
            guard try repository.disable(id: account.id, now: runtime.now()) else {
                throw RuntimeError(.wrongState, code: "user.disabled", "user '\(account.id)' is already disabled")
            }
        }
        return try self.account(account.id)
    }

    /// The zone user `id`'s day is read in: their own, else kam.yaml's `jobs.time_zone`.
    /// - Throws: `RuntimeError` `.notFound` (`user.not-found`).
    public func timeZone(of id: String) throws -> TimeZone {
        Self.timeZone(of: try account(id), configured: runtime.configuration.jobs.timeZone)
    }

    /// `account`'s own zone, else `configured`.
    static func timeZone(of account: UserAccount, configured: TimeZone) -> TimeZone {
        account.timeZone.flatMap(TimeZone.init(identifier:)) ?? configured
    }

    private static func checkedTimeZone(_ name: String, user: String) throws -> TimeZone {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, let zone = TimeZone(identifier: trimmed) else {
            throw RuntimeError(
                .invalidInput, code: "user.invalid-time-zone",
                "user '\(user)': --time-zone '\(name)' is not a time zone; use an IANA name like Europe/Berlin or America/New_York")
        }
        return zone
    }

    /// Disables user `id`: their keys stop working at once (401) and they get no new ones. Only an admin (or a
    /// local run without `--user`) may.
    /// - Throws: `RoleRefusal` for a member or manager; `RuntimeError` `.notFound` (`user.not-found`),
    ///   `.wrongState` (`user.disabled`) when already disabled.
    @discardableResult
    public func disable(_ id: String, as user: ActingUser) throws -> UserAccount {
        try update(id, disable: true, as: user)
    }
}
