import Foundation
import KAMCore
import KAMStore

extension Runtime {
    /// Users and their roles (`kam users`).
    public var users: UserService { UserService(runtime: self) }
    /// Teams (`kam teams`).
    public var teams: TeamService { TeamService(runtime: self) }
    /// The weekly team analysis (`kam teams analysis`, the `weekly-analysis` job).
    public var teamAnalysis: TeamAnalysisService { TeamAnalysisService(runtime: self) }

    /// What `user` may see and change: everything for an admin or an anonymous local run, their team's for
    /// a manager, their own for a member or a user id with no users row.
    ///
    /// For example:
    /// ```swift
    /// let scope = try runtime.scope(for: ActingUser("ana"))
    /// scope.coversClient(ownerID: "ana")   // true
    /// ```
    public func scope(for user: ActingUser) throws -> AccessScope {
        if let scope = user.scope { return scope }
        guard let named = user.id else { return .everything }
        // An acting user named by email (`--user maria@…`) has the scope of the user with that email.
        return AccessScope(of: try self.userStore.membership(named: named), named: named)
    }

    /// Refuses `action` unless `user` is an admin or nobody in particular (a local run without `--user`).
    /// - Throws: `RoleRefusal` (403 `auth.role` over HTTP) naming the user's role and the role `action` needs.
    public func requireAdmin(_ user: ActingUser, for action: String) throws {
        guard let userID = user.id else { return }
        let scope = try scope(for: user)
        guard !scope.isEverything else { return }
        let role = if case .team = scope.reach { "manager" } else { "member" }
        throw RoleRefusal(userID: userID, role: role, needed: "the admin role", for: action)
    }

    /// Client `clientID` when `user` may see it.
    /// - Throws: `RuntimeError` `.notFound` `client.not-found`, the same for a missing and an out-of-scope client.
    public func client(id clientID: String, as user: ActingUser) throws -> Client {
        guard let client = try self.clientMemory.client(id: clientID) else { throw AccessScope.clientNotFound(clientID) }
        try scope(for: user).requireClient(client)
        return client
    }

    /// Refuses a client id `user` may not see (or that names nothing), before a write or read of its records.
    /// - Throws: `RuntimeError` `.notFound` `client.not-found`.
    public func requireClient(_ clientID: String, as user: ActingUser) throws {
        _ = try client(id: clientID, as: user)
    }

    /// The client a CLIENT argument names among those `user` may see (see `client(_:)`).
    /// - Throws: `RuntimeError` `.notFound` or `.ambiguous`, never revealing a client outside the scope.
    public func client(_ query: String, as user: ActingUser) throws -> Client {
        let scope = try scope(for: user)
        if scope.isEverything { return try client(query) }
        do {
            let found = try client(query)
            guard scope.coversClient(ownerID: found.ownerID) else { throw AccessScope.clientNotFound(query) }
            return found
        } catch let error as RuntimeError where error.kind == .ambiguous || error.kind == .notFound {
            let visible = scope.filter(error.candidates)
            if error.kind == .ambiguous, visible.count == 1 { return visible[0] }
            if error.kind == .ambiguous, visible.count > 1 {
                throw RuntimeError(
                    .ambiguous, code: "client.ambiguous", "'\(query)' matches \(visible.count) clients; use one of their ids",
                    candidates: visible)
            }
            throw RuntimeError(
                .notFound, code: "client.not-found",
                "no client matches '\(query)' (by id, name, external id, contact email or domain)", candidates: visible)
        }
    }

    /// The client's context (see `context(clientID:budget:)`) when `user` may see the client: the client and its
    /// memory are read in one transaction, and the client's owner is checked against the scope before assembling.
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`) for a missing client or one outside the scope,
    ///   then what `context` throws.
    public func context(
        clientID: String, budget: Int?, as user: ActingUser, activityDays: Int = 30, encoding: TokenEncoding = .o200kBase
    ) throws -> AssembledContext {
        let scope = try scope(for: user)
        let assembler = try assembler(budget: budget, activityDays: activityDays, encoding: encoding)
        let now = now()
        let snapshot = try snapshot(clientID: clientID, assembler: assembler, in: scope, now: now)
        return try assembler.assemble(snapshot: snapshot, now: now).get()
    }

    /// `context(clientID:budget:as:)` encoded (`AssembledContext.encodedJSON()`, what `GET /clients/:id/context`
    /// answers), kept in `contexts`: asked again while nothing was committed to the store (by anyone, in this
    /// process or another: `ClientStore.dataVersion()`) and before the instant the context would change with the
    /// clock (`ContextAssembler.stableUntil`), it is answered without reading or assembling, with the new
    /// `assembledAt`. The client's owner is checked against `user`'s scope either way.
    /// - Throws: as `context(clientID:budget:as:)`.
    public func contextJSON(
        clientID: String, budget: Int?, as user: ActingUser, activityDays: Int = 30, encoding: TokenEncoding = .o200kBase
    ) throws -> Data {
        let scope = try scope(for: user)
        let now = now()
        let key = CachedContext.Key(clientID: clientID, budget: budget, activityDays: activityDays, encoding: encoding)
        // The version before the read: what is kept is never older than the version it is kept with.
        let version = contexts.capacity > 0 ? try storage.dataVersion() : nil
        if let version, let kept = contexts.value(key, version: version, where: { $0.holds(at: now) }) {
            guard scope.coversClient(ownerID: kept.ownerID) else { throw AccessScope.clientNotFound(clientID) }
            if kept.assembledAt == now { return kept.json }
            if let json = AssembledContext.encodedJSON(kept.json, reassembledAt: now) { return json }
        }
        let assembler = try assembler(budget: budget, activityDays: activityDays, encoding: encoding)
        let snapshot = try snapshot(clientID: clientID, assembler: assembler, in: scope, now: now)
        let json = try assembler.assemble(snapshot: snapshot, now: now).get().encodedJSON()
        if let version {
            contexts.store(
                CachedContext(
                    ownerID: snapshot.client.ownerID, assembledAt: now,
                    stableUntil: assembler.stableUntil(snapshot: snapshot, now: now), json: json),
                for: key, version: version, cost: json.count + 256)
        }
        return json
    }

    /// How many `contextJSON` calls were answered from `contexts`, and how many were read and assembled.
    public var contextCacheCounts: (hits: Int, misses: Int) { contexts.counts }

    private func assembler(budget: Int?, activityDays: Int, encoding: TokenEncoding) throws -> ContextAssembler {
        ContextAssembler(
            tokenCounter: try tokenizer(encoding),
            options: ContextAssemblyOptions(activityDays: activityDays, tokenBudget: budget))
    }

    /// The client's snapshot for `assembler` at `now`, when the client exists and `scope` covers its owner.
    private func snapshot(
        clientID: String, assembler: ContextAssembler, in scope: AccessScope, now: Date
    ) throws -> ClientSnapshot {
        guard let snapshot = try assembler.snapshot(clientID: clientID, from: self.clientMemory, now: now),
            scope.coversClient(ownerID: snapshot.client.ownerID)
        else { throw AccessScope.clientNotFound(clientID) }
        return snapshot
    }

    /// Refuses client `clientID` when `user` reaches less than everything and may not see it or it does not
    /// exist. For an admin or a local run nothing is checked here: a missing client fails where it is used.
    /// - Throws: `RuntimeError` `.notFound` `client.not-found`.
    public func requireInScope(clientID: String, as user: ActingUser) throws {
        let scope = try scope(for: user)
        guard !scope.isEverything else { return }
        guard let client = try self.clientMemory.client(id: clientID), scope.coversClient(ownerID: client.ownerID) else {
            throw AccessScope.clientNotFound(clientID)
        }
    }

    /// Refuses a record of client `clientID` (a task, a deal, a suggestion) that `user` may not see with
    /// `notFound`, the error a missing record of that kind gets.
    public func requireRecord(
        ofClient clientID: String, as user: ActingUser, orElse notFound: @autoclosure () -> RuntimeError
    ) throws {
        let scope = try scope(for: user)
        guard !scope.isEverything else { return }
        guard scope.coversClient(ownerID: try self.clientMemory.client(id: clientID)?.ownerID) else { throw notFound() }
    }

    /// Refuses a draft `user` may not see (made by someone outside their scope for a client outside it) with
    /// `draft.not-found`, as a missing one.
    public func requireDraft(_ draft: Draft, as user: ActingUser) throws {
        let scope = try scope(for: user)
        guard !scope.isEverything else { return }
        let owner = try self.clientMemory.client(id: draft.clientID)?.ownerID
        guard scope.coversDraft(createdBy: draft.createdBy, clientOwnerID: owner) else {
            throw DraftService.notFound(draft.id)
        }
    }
}
