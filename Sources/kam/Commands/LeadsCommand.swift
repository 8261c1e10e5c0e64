import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam leads list|show|create|update|stats`: the leads of the portfolio (one lead's transitions also: kam lead CLIENT).
struct LeadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leads",
        abstract: "List, show, create and update leads (source, value, status), and the leads in numbers.",
        subcommands: [
            List.self, Show.self, Create.self, Update.self, Stats.self, Enrich.self, Proposals.self, Accept.self, Reject.self,
        ])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The leads you may see, by name, filtered and paged, with their BANT score.",
            discussion: "Bounds are inclusive; a lead without a value passes no value bound; a lower bound above its upper one matches none.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only leads at this status.") var status: LeadStatus?
        @Option(help: "Only leads from this source: \(LeadSource.allCases.map(\.rawValue).joined(separator: ", ")).")
        var source: LeadSource?
        @Option(help: "Only the leads of this owner (user id or email).") var owner: String?
        @Option(help: "The lowest BANT score (0-100).") var minScore: Int?
        @Option(help: "The highest BANT score (0-100).") var maxScore: Int?
        @Option(help: "The lowest expected value.") var minValue: Double?
        @Option(help: "The highest expected value.") var maxValue: Double?
        @Option(help: "At most this many (1–\(PageRequest.maxLimit)).") var limit = 50
        @Option(help: "The page after the one that printed this cursor.") var cursor: String?
        @Flag(help: "Print the page as JSON (items, next_cursor).") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let query = LeadService.Query(
                status: status, source: source, owner: owner, minScore: minScore, maxScore: maxScore, minValue: minValue,
                maxValue: maxValue)
            let page = try runtime.attempt {
                try runtime.runtime.leads.list(query, page: try PageRequest(limit: limit, cursor: cursor), as: runtime.user)
            }
            if json {
                print(try Terminal.json(page))
            } else if page.items.isEmpty {
                print("No leads match. `kam leads create NAME` adds one.")
            } else {
                let width = min(max(page.items.map(\.client.count).max() ?? 0, 6), 40)
                print("CLIENT".padding(toLength: width, withPad: " ", startingAt: 0) + "  STATUS       BANT  SOURCE      VALUE         OWNER")
                for lead in page.items {
                    let value = lead.details?.value.map { "\(LeadsCommand.amount($0)) \(lead.details?.currency ?? "")" } ?? "-"
                    print(lead.client.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                        + lead.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) + "  "
                        + String(lead.bant.score).leftPadded(4) + "  "
                        + (lead.details?.source?.rawValue ?? "-").padding(toLength: 10, withPad: " ", startingAt: 0) + "  "
                        + value.padding(toLength: 12, withPad: " ", startingAt: 0) + "  " + (lead.owner ?? "-"))
                }
                if let next = page.next { print("more: --cursor \(next)") }
            }
            fflush(nil)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One lead: status, source, value, BANT score and every transition.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Client id, name, external id, contact email or domain.") var client: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let lead = try runtime.attempt {
                try runtime.runtime.leads.lead(clientID: try runtime.client(client).id, as: runtime.user)
            }
            if json {
                print(try Terminal.json(lead))
            } else {
                print(LeadsCommand.render(lead))
            }
            fflush(nil)
        }
    }

    /// A lead's lines: who, status, source, value, BANT, then the transitions.
    static func render(_ lead: LeadService.Lead) -> String {
        var lines = ["\(lead.name) (\(lead.client)): \(lead.status.rawValue)" + (lead.owner.map { " · owner \($0)" } ?? "")]
        let details = lead.details
        let source = details?.source.map { $0.rawValue + (details?.sourceDetail.map { " (\($0))" } ?? "") } ?? "-"
        let value = details?.value.map { "\(amount($0)) \(details?.currency ?? "")" } ?? "-"
        lines.append("  source \(source) · value \(value)")
        var enriched: [String] = []
        if let band = details?.sizeBand { enriched.append("\(band.rawValue) employees") }
        if let score = details?.icpScore { enriched.append("ICP fit \(score)") }
        if let needs = details?.needs, !needs.isEmpty { enriched.append("needs: " + needs.joined(separator: "; ")) }
        if !enriched.isEmpty { lines.append("  " + enriched.joined(separator: " · ")) }
        lines.append("  BANT \(lead.bant.score) (\(lead.bant.explanation))")
        for t in lead.transitions ?? [] {
            lines.append("  \(Terminal.timestamp(t.at))  \(t.from.rawValue) → \(t.to.rawValue)  \(t.automatic ? "automatic" : "by hand"): \(t.reason)")
        }
        return lines.joined(separator: "\n")
    }

    static func amount(_ value: Double) -> String { String(format: "%.0f", value) }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Leads by status and by source with their open deals' value, the funnel's conversion rates and the median days at each status.",
            discussion: """
                Every client you may see is a lead at its status. A lead reached a status of the funnel (new, \
                contacted, qualified, proposal, negotiation, won) when its history holds it or a later one; a \
                conversion rate is the share of the leads that reached one status that reached the next. By source, \
                the rate is the share of the source's leads won now. Days at a status are the median of the completed \
                stays, from the transitions kept (`kam lead CLIENT`).
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let stats = try runtime.attempt { try runtime.runtime.leads.statistics(as: runtime.user) }
            if json {
                print(try Terminal.json(stats))
                return
            }
            print("\(stats.leads) leads, open deals \(amount(stats.value))")
            print("\nstatus        leads  open deals")
            for row in stats.byStatus {
                print("\(row.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))  \(String(row.count).leftPadded(5))  \(amount(row.value).leftPadded(10))")
            }
            print("\nsource        leads  open deals  est. value  won  lost  won %")
            for row in stats.bySource where row.count > 0 {
                let rate = row.rate.map { String(format: "%.0f%%", $0 * 100) } ?? "-"
                print((row.source?.rawValue ?? "(none)").padding(toLength: 12, withPad: " ", startingAt: 0)
                    + "  \(String(row.count).leftPadded(5))  \(amount(row.value).leftPadded(10))  "
                    + "\(amount(row.estimatedValue).leftPadded(10))  \(String(row.won).leftPadded(3))  "
                    + "\(String(row.lost).leftPadded(4))  \(rate.leftPadded(5))")
            }
            print("\nconversion                 reached  converted  rate")
            for step in stats.conversions {
                let name = "\(step.from.rawValue) → \(step.to.rawValue)".padding(toLength: 25, withPad: " ", startingAt: 0)
                let rate = step.rate.map { String(format: "%.0f%%", $0 * 100) } ?? "-"
                print("\(name)  \(String(step.reached).leftPadded(7))  \(String(step.converted).leftPadded(9))  \(rate.leftPadded(4))")
            }
            print("\ndays at      stays  median")
            for row in stats.velocity {
                let median = row.medianDays.map { String(format: "%.1f", $0) } ?? "-"
                print("\(row.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0))  \(String(row.stays).leftPadded(5))  \(median.leftPadded(6))")
            }
            fflush(nil)
        }
    }
}

extension LeadSource: ExpressibleByArgument {}
extension LeadService.Field: ExpressibleByArgument {}
