import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam inbox [--unread] [--of USER]`, `kam inbox read ID|--all`: the acting user's (`--user`) notifications, put
/// there by the rules' `notify` action.
struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract: "Your notifications (from the rules), newest first; mark them read.",
        subcommands: [Show.self, Read.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "The notifications of --user (an admin or a local run may name another with --of).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @Flag(help: "Only unread ones.") var unread = false
        @Option(help: "Another user's inbox (an admin, or a local run without --user).") var of: String?
        @Option(help: "At most this many.") var limit = 100
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config)
            let notifications = try runtime.attempt {
                try runtime.runtime.inbox.list(unreadOnly: unread, of: of, limit: limit, as: runtime.user)
            }
            if json {
                print(try Terminal.json(notifications))
                return
            }
            guard !notifications.isEmpty else {
                print(unread ? "no unread notifications" : "no notifications")
                return
            }
            for n in notifications {
                print(
                    "\(n.readAt == nil ? "*" : " ") #\(n.id)  \(Terminal.timestamp(n.createdAt))  \(n.clientID ?? "-")  \(n.title)"
                        + (n.rule.map { "  [rule \($0)\(n.causeEventID.map { ", event \($0)" } ?? "")]" } ?? ""))
                if !n.body.isEmpty { print("      \(n.body)") }
            }
        }
    }

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a notification (or --all) read.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @Argument(help: "The notification's id (`kam inbox`).") var id: Int64?
        @Flag(help: "Every unread notification.") var all = false

        func validate() throws {
            guard (id != nil) != all else { throw ValidationError("name a notification id, or give --all (not both)") }
        }

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config)
            if let id {
                let notification = try runtime.attempt { try runtime.runtime.inbox.markRead(id: id, as: runtime.user) }
                print("#\(notification.id) read")
            } else {
                let count = try runtime.attempt { try runtime.runtime.inbox.markAllRead(as: runtime.user) }
                print("\(count) notification\(count == 1 ? "" : "s") marked read")
            }
        }
    }
}
