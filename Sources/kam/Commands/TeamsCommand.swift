import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam teams add|list`: teams of users; a manager sees what their team's members own.
struct TeamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teams",
        abstract: "Add and list teams (a manager sees their team's clients), and read the weekly team analysis.",
        subcommands: [Add.self, List.self, Analysis.self]
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

    struct Analysis: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The weekly team analysis per owner: clients at risk, drafts approved, suggestion acceptance, plan completion.",
            discussion: """
                The weekly-analysis job (`kam jobs`, Mondays 09:00) stores the past seven days for each owner. A \
                manager sees their team's owners, an admin everyone.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "The week by its first day (YYYY-MM-DD); default: the latest stored.") var week: String?
        @Flag(help: "Print a JSON array.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let reports = try runtime.attempt { try runtime.runtime.teamAnalysis.reports(week: week, as: runtime.user) }
            if json {
                print(try Terminal.json(reports))
            } else if reports.isEmpty {
                print("No weekly analysis stored\(week.map { " for the week of \($0)" } ?? ""); `kam jobs run weekly-analysis` writes one.")
            } else {
                func percent(_ rate: Double?) -> String { rate.map { "\(Int(($0 * 100).rounded()))%" } ?? "-" }
                print("Week of \(reports[0].week)")
                for line in TextTable.lines(
                    [["OWNER", "CLIENTS", "AT RISK", "DRAFTS APPROVED", "SUGGESTIONS ACCEPTED", "PLAN DONE"]]
                        + reports.map {
                            [
                                $0.ownerID, "\($0.clients)", $0.atRisk.isEmpty ? "0" : "\($0.atRisk.count) (\($0.atRisk.joined(separator: ", ")))",
                                "\($0.draftsApproved) of \($0.draftsDecided)",
                                "\($0.suggestionsAccepted) of \($0.suggestionsDecided) (\(percent($0.suggestionAcceptance)))",
                                "\($0.planItemsDone) of \($0.planItems) (\(percent($0.planCompletion)))",
                            ]
                        })
                {
                    print(line)
                }
                for report in reports {
                    if let coaching = report.coaching {
                        print("\n\(report.ownerID): \(coaching.summary)")
                        for note in coaching.notes { print("  • \(note)") }
                    }
                }
                // Why there are no notes, once for every owner it applies to.
                for (note, owners) in Dictionary(grouping: reports.filter { $0.coaching == nil }, by: { $0.coachingNote ?? "" })
                    .sorted(by: { $0.key < $1.key }) where !note.isEmpty
                {
                    print("\nNo coaching notes for \(owners.map(\.ownerID).joined(separator: ", ")): \(note).")
                }
            }
            fflush(nil)
        }
    }
}
