import Foundation
import KAMCore
import KAMStore

/// Teams of users (`kam teams add|list`): a manager sees what their team's members own.
public struct TeamService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any UserStoring { runtime.userStore }

    /// Adds team `id` named `name`; only an admin (or a local run without `--user`) may.
    /// - Throws: `RoleRefusal` for a member or manager; `RuntimeError` `.invalidInput` for a bad id, an empty
    ///   name or an id already taken.
    @discardableResult
    public func add(id: String, name: String, as user: ActingUser) throws -> Team {
        try runtime.requireAdmin(user, for: "adding a team")
        guard !id.isEmpty, Slug.make(id) == id else {
            throw RuntimeError(
                .invalidInput, code: "team.invalid-id",
                "team id '\(id)' must be lower-case letters, digits and dashes; try '\(Slug.make(id).isEmpty ? "north" : Slug.make(id))'")
        }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else {
            throw RuntimeError(.invalidInput, code: "team.name-missing", "team '\(id)': --name is empty; give the team's name")
        }
        let team = Team(id: id, name: name, createdAt: runtime.now())
        do {
            try repository.addTeam(team)
        } catch let error as StoreError where error.code == .invalidValue {
            throw RuntimeError(.invalidInput, code: "team.exists", error.message)
        }
        return team
    }

    /// Every team, by id.
    public func list() throws -> [Team] {
        try repository.teams()
    }
}
