import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

extension UserRole: ExpressibleByArgument {}

/// `kam users add|list|update|disable|passwd`: the people of the team server, their roles (member: own clients,
/// manager: their team's, admin: everything) and time zones (their daily review runs at 08:00 there).
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Add, list, update and disable users (roles: member, manager, admin; each with a time zone); set their web password.",
        subcommands: [Add.self, List.self, Update.self, Disable.self, Passwd.self]
    )

    /// `ana  Ana Lima <ana@example.com>  member  team north  Europe/Berlin  disabled 2026-12-03 18:00`.
    static func line(_ user: UserAccount) -> String {
        "\(user.id)  \(user.name) <\(user.email)>  \(user.role.rawValue)" + (user.team.map { "  team \($0)" } ?? "")
            + "  \(user.timeZone ?? "(configured zone)")"
            + (user.disabledAt.map { "  disabled \(Terminal.timestamp($0))" } ?? "")
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "User id: lower-case letters, digits and dashes.") var id: String
        @Option(help: "The person's name.") var name: String
        @Option(help: "The person's email address.") var email: String
        @Option(help: "Team id (from `kam teams list`); a manager needs one.") var team: String?
        @Option(help: "member (own clients), manager (their team's) or admin (everything).") var role: UserRole = .member
        @Option(help: "IANA time zone (Europe/Berlin) their daily review runs in at 08:00; default: kam.yaml's jobs.time_zone.")
        var timeZone: String?
        @Flag(help: "Print the user as JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let user = try runtime.attempt {
                try runtime.runtime.users.add(
                    UserService.NewUser(id: id, name: name, email: email, team: team, role: role, timeZone: timeZone),
                    as: runtime.user)
            }
            print(json ? try Terminal.json(user) : "added \(UsersCommand.line(user))")
            fflush(nil)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users with their roles and teams.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON array.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let users = try runtime.attempt { try runtime.runtime.users.list() }
            if json {
                print(try Terminal.json(users))
            } else if users.isEmpty {
                print("No users. Add one with `kam users add ID --name NAME --email ADDRESS`.")
            } else {
                for user in users { print(UsersCommand.line(user)) }
            }
            fflush(nil)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a user's time zone (their daily review runs at 08:00 there).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "User id.") var id: String
        @Option(help: "IANA time zone, like Europe/Berlin or America/New_York.") var timeZone: String?
        @Flag(help: "Use the configured zone (kam.yaml's jobs.time_zone) again.") var configuredTimeZone = false
        @Flag(help: "Print the user as JSON.") var json = false

        func validate() throws {
            guard (timeZone != nil) != configuredTimeZone else {
                throw ValidationError("give --time-zone ZONE or --configured-time-zone (one of them)")
            }
        }

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let user = try runtime.attempt { try runtime.runtime.users.setTimeZone(id, to: timeZone, as: runtime.user) }
            print(json ? try Terminal.json(user) : "updated \(UsersCommand.line(user))")
            fflush(nil)
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a user: their API keys stop working at once.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "User id.") var id: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let user = try runtime.attempt { try runtime.runtime.users.disable(id, as: runtime.user) }
            print("disabled \(user.id); their keys no longer work")
            fflush(nil)
        }
    }
}
