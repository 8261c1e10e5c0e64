import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam clients`: look at the client memory (list, show, find), write it (add, update), and a client's
/// data rights (export, delete).
struct ClientsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clients",
        abstract: "List, show, find, add, update, export and delete clients.",
        subcommands: [List.self, Show.self, Find.self, Add.self, Update.self, Export.self, Delete.self]
    )

    /// One line of `list` and `find`, and the objects of their `--json` arrays.
    struct Line: Encodable {
        var id: String
        var name: String
        var domain: String?
        var owner: String?
        var tier: String
        var lifecycle: String
        var leadStatus: String

        enum CodingKeys: String, CodingKey {
            case id, name, domain, owner, tier, lifecycle
            case leadStatus = "lead_status"
        }

        init(_ client: Client) {
            id = client.id
            name = client.name
            domain = client.domain
            owner = client.ownerID
            tier = client.tier.rawValue
            lifecycle = client.lifecycle.rawValue
            leadStatus = client.leadStatus.rawValue
        }
    }

    static func printTable(_ clients: [Client], json: Bool) throws {
        if json {
            print(try Terminal.json(clients.map(Line.init)))
        } else if clients.isEmpty {
            print("No clients. Import some with `kam import FILE` or try `kam demo`.")
        } else {
            let idWidth = min(max(clients.map(\.id.count).max() ?? 0, 2), 40)
            let nameWidth = min(max(clients.map(\.name.count).max() ?? 0, 4), 40)
            print("ID".padding(toLength: idWidth, withPad: " ", startingAt: 0) + "  "
                + "NAME".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  TIER          LIFECYCLE   OWNER")
            for client in clients {
                print(client.id.padding(toLength: idWidth, withPad: " ", startingAt: 0) + "  "
                    + client.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                    + client.tier.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0) + "  "
                    + client.lifecycle.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) + "  "
                    + (client.ownerID ?? "-"))
            }
        }
        fflush(nil)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every client, by name.")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print a JSON array of objects (id, name, domain, owner, tier, lifecycle, lead_status).")
        var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let clients = try runtime.attempt { try runtime.runtime.clients.list(as: runtime.user) }
            try ClientsCommand.printTable(clients, json: json)
        }
    }

    struct Find: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find clients whose id, name, domain, external id or contacts contain QUERY.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Part of a name, id, domain, contact name or email.")
        var query: String

        @Flag(help: "Print a JSON array of objects.")
        var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let found = try runtime.attempt { try runtime.runtime.clients.find(query, as: runtime.user) }
            if found.isEmpty && !json {
                Terminal.printError("kam: no client contains '\(query)'")
                throw ExitCodes.notFound.exit
            }
            try ClientsCommand.printTable(found, json: json)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show everything known about a client: people, memory, activities, deals, tasks, orders.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Client id, name, external id, contact email or domain.")
        var client: String

        @Option(help: "Show activities of the last N days.")
        var days: Int = 30

        @Flag(help: "Print the snapshot as JSON.")
        var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let (snapshot, zone) = try runtime.attempt {
                let snapshot = try runtime.runtime.clients.snapshot(try runtime.client(client).id, activityDays: days, as: runtime.user)
                return (snapshot, try runtime.runtime.clients.ownerTimeZone(snapshot))
            }
            let now = runtime.runtime.now()
            if json {
                print(try Terminal.json(snapshot))
            } else {
                print(Self.render(snapshot, ownerTimeZone: zone, days: days, now: now))
            }
            fflush(nil)
        }

        static func render(_ s: ClientSnapshot, ownerTimeZone: String?, days: Int, now: Date) -> String {
            func day(_ date: Date?) -> String { date.map(Terminal.day) ?? "-" }
            let c = s.client
            var lines = ["\(c.name) (\(c.id))"]
            var profile = ["tier \(c.tier.rawValue)", c.lifecycle.rawValue, "lead \(c.leadStatus.rawValue)"]
            if let industry = c.industry { profile.insert(industry, at: 0) }
            if let budget = c.monthlyBudget { profile.append("budget \(budget) \(c.currency)/month") }
            lines.append("  " + profile.joined(separator: " · "))
            if let owner = s.owner {
                lines.append(
                    "  owner: \(owner.name) <\(owner.email)>" + (owner.team.map { ", team \($0)" } ?? "")
                        + (ownerTimeZone.map { ", time zone \($0)" } ?? ""))
            }
            if let domain = c.domain { lines.append("  domain: \(domain)") }
            if let renewal = c.renewalDate { lines.append("  contract renews: \(day(renewal))") }
            if let external = c.externalID { lines.append("  external id: \(external)") }
            lines.append("  consent: AI analysis \(c.consentAIAnalysis ? "yes" : "NO"), training \(c.consentTraining ? "yes" : "NO")")
            lines.append("  last interaction: \(day(s.lastInteractionAt))")
            lines.append("Contacts (\(s.contacts.count))")
            for p in s.contacts {
                lines.append("  \(p.name)" + (p.title.map { ", \($0)" } ?? "") + " [\(p.role.rawValue)]" + (p.email.map { " <\($0)>" } ?? "")
                    + (p.phone.map { " \($0)" } ?? ""))
            }
            lines.append("Memory (\(s.memory.count))")
            for m in s.memory { lines.append("  \(m.key) (\(m.kind.rawValue), \(m.source)): \(m.value)") }
            lines.append("Activities, last \(days) days (\(s.activities.count))")
            for a in s.activities.prefix(20) {
                lines.append("  \(day(a.occurredAt)) \(a.kind.rawValue) \(a.direction.rawValue): " + (a.subject ?? a.body ?? ""))
            }
            if s.activities.count > 20 { lines.append("  ... \(s.activities.count - 20) more") }
            lines.append("Open deals (\(s.openDeals.count))")
            for d in s.openDeals {
                lines.append("  \(d.name): \(d.stage.rawValue) for \(d.daysInStage(at: now)) days, \(d.amount) \(d.currency), close \(day(d.closeDate))")
            }
            lines.append("Pending tasks (\(s.pendingTasks.count))")
            for t in s.pendingTasks {
                lines.append("  \(t.isOverdue(at: now) ? "OVERDUE " : "")\(day(t.due)) [\(t.priority.rawValue)] \(t.title)")
            }
            lines.append("Orders (\(s.orders.count))")
            for o in s.orders.prefix(10) { lines.append("  \(day(o.orderedAt)) \(o.product) ×\(o.quantity): \(o.amount) \(o.currency)") }
            return lines.joined(separator: "\n")
        }
    }
}
