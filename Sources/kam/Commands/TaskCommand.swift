import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam task add|done|reopen|list`: to-dos for accounts; finishing an overdue one resolves its
/// "escalate" suggestion.
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Add, finish, reopen and list tasks (due date, priority, assignee).",
        subcommands: [Add.self, Done.self, Reopen.self, List.self]
    )

    /// A task's cells: id, client, due (OVERDUE when late), priority, status, assignee, title.
    static func cells(_ t: ClientTask, now: Date) -> [String] {
        let due = t.due.map { ImportDate.day($0) + (t.isOverdue(at: now) ? " OVERDUE" : "") } ?? "-"
        return ["\(t.id ?? 0)", t.clientID, due, t.priority.rawValue, t.status.rawValue, t.assignee ?? "-", t.title]
    }

    /// One task on one line, for the write commands.
    static func line(_ t: ClientTask, now: Date) -> String {
        TextTable.lines([cells(t, now: now)])[0]
    }

    /// Marks task `id` done (or open again) and prints it with what it changed.
    static func change(_ global: GlobalOptions, id: Int64, reopen: Bool, json: Bool) async throws {
        let runtime = try await AgentRuntime.open(global)
        let write = try runtime.attempt {
            try reopen ? runtime.runtime.tasks.reopen(id, as: runtime.user) : runtime.runtime.tasks.done(id, as: runtime.user)
        }
        try RefreshReport.print(
            (reopen ? "reopened: " : "done: ") + TaskCommand.line(write.task, now: runtime.runtime.now()), write.refresh,
            json: json ? write : nil)
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an open task for a client.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Client id, name, external id, contact email or domain.") var client: String
        @Argument(help: "What to do.") var title: String
        @Option(help: "Due date: YYYY-MM-DD (or YYYY-MM-DDTHH:MM, UTC).") var due: DayArgument?
        @Option(help: "How urgent.") var priority: TaskPriority = .medium
        @Option(help: "Who does it: a user id or email (default: --user, when it is a known user).") var assignee: String?
        @Flag(help: "Print the stored task and what it changed as JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let write = try runtime.attempt {
                let target = try runtime.client(client)
                return try runtime.runtime.tasks.add(
                    TaskService.Entry(
                        clientID: target.id, title: title, due: due?.date, priority: priority, assignee: assignee),
                    as: runtime.user)
            }
            try RefreshReport.print(
                "added task " + TaskCommand.line(write.task, now: runtime.runtime.now()), write.refresh,
                json: json ? write : nil)
        }
    }

    struct Done: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark a task done; suggestions it caused (escalate overdue task) are resolved.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Task id (`kam task list`).") var id: Int64
        @Flag(help: "Print the task and what it changed as JSON.") var json = false

        func run() async throws {
            try await TaskCommand.change(global, id: id, reopen: false, json: json)
        }
    }

    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a done or cancelled task again.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Task id (`kam task list --all`).") var id: Int64
        @Flag(help: "Print the task and what it changed as JSON.") var json = false

        func run() async throws {
            try await TaskCommand.change(global, id: id, reopen: true, json: json)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pending tasks by due date (overdue first), for one client or all.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Only this client's (default: every client's).") var client: String?
        @Option(help: "Only tasks assigned to this user id or email.") var assignee: String?
        @Flag(help: "Only tasks assigned to --user.") var mine = false
        @Flag(help: "Also done and cancelled tasks.") var all = false
        @Flag(help: "Print a JSON array.") var json = false

        func validate() throws {
            if mine && assignee != nil { throw ValidationError("pass --mine or --assignee, not both") }
        }

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            if mine && runtime.user.id == nil {
                Terminal.printError("kam: --mine needs --user (or $KAM_USER)")
                throw ExitCodes.badUsage.exit
            }
            let tasks = try runtime.attempt {
                let clientID = try client.map { try runtime.client($0).id }
                return try runtime.runtime.tasks.list(
                    clientID: clientID, assignee: mine ? runtime.user.id : assignee, includeClosed: all, as: runtime.user)
            }
            if json {
                print(try Terminal.json(tasks))
            } else if tasks.isEmpty {
                print(all ? "No tasks." : "No pending tasks. Add one with `kam task add CLIENT \"title\" --due DATE`.")
            } else {
                let now = runtime.runtime.now()
                let header = ["ID", "CLIENT", "DUE", "PRIORITY", "STATUS", "ASSIGNEE", "TITLE"]
                TextTable.lines([header] + tasks.map { TaskCommand.cells($0, now: now) }).forEach { print($0) }
            }
            fflush(nil)
        }
    }
}

extension TaskPriority: ExpressibleByArgument {}
