import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam leads stats`: the leads in numbers (by status, the funnel's conversion rates, days at each status).
struct LeadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leads",
        abstract: "The leads of the portfolio in numbers (one lead: kam lead CLIENT).",
        subcommands: [Stats.self])

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Leads by status with their open deals' value, the funnel's conversion rates and the median days at each status.",
            discussion: """
                Every client you may see is a lead at its status. A lead reached a status of the funnel (new, \
                contacted, qualified, proposal, negotiation, won) when its history holds it or a later one; a \
                conversion rate is the share of the leads that reached one status that reached the next. Days at a \
                status are the median of the completed stays, from the transitions kept (`kam lead CLIENT`).
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
            print("\(stats.leads) leads, open deals \(Self.amount(stats.value))")
            print("\nstatus        leads  open deals")
            for row in stats.byStatus {
                print("\(row.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0))  \(String(row.count).leftPadded(5))  \(Self.amount(row.value).leftPadded(10))")
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

        static func amount(_ value: Double) -> String { String(format: "%.0f", value) }
    }
}
