import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam teams add|list`: teams of users; a manager sees what their team's members own.
struct TeamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teams",
        abstract: "Add and list teams (a manager sees their team's clients).",
        subcommands: [Add.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a team.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Team id: lower-case letters, digits and dashes.") var id: String
        @Option(help: "The team's name.") var name: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let team = try runtime.attempt { try runtime.runtime.teams.add(id: id, name: name, as: runtime.user) }
            print("added team \(team.id) (\(team.name))")
            fflush(nil)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List teams.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print a JSON array.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let teams = try runtime.attempt { try runtime.runtime.teams.list() }
            if json {
                print(try Terminal.json(teams))
            } else if teams.isEmpty {
                print("No teams. Add one with `kam teams add ID --name NAME`.")
            } else {
                for team in teams { print("\(team.id)  \(team.name)") }
            }
            fflush(nil)
        }
    }
}
