import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam usage`: calls, tokens and cost from the usage ledger, in total or grouped.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Model calls, tokens and cost from the usage ledger, grouped by day, model, prompt, client or user."
    )

    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "Group by day (UTC), model, prompt, client or user.")
    var by: String?
    @Option(name: .long, help: "Only calls since this date (YYYY-MM-DD, UTC) or time (ISO 8601).")
    var since: String?
    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        if let by, UsageQuery.Grouping(rawValue: by) == nil {
            throw ValidationError("--by '\(by)' must be one of day, model, prompt, client, user")
        }
        if let since, Self.parseDate(since) == nil {
            throw ValidationError("--since '\(since)' must be a date like 2026-11-01 or a time like 2026-11-01T09:00:00Z")
        }
    }

    func run() async throws {
        let runtime = try await AgentRuntime.open(global)
        let totals = try await runtime.attempt {
            try await runtime.runtime.usage.totals(
                by: by.flatMap(UsageQuery.Grouping.init), since: since.flatMap(Self.parseDate))
        }
        if json {
            print(try Terminal.json(totals.map(UsageService.Line.init)))
        } else if totals.isEmpty {
            print("no model calls\(since.map { " since \($0)" } ?? "")")
        } else {
            var rows = [[by?.uppercased() ?? "", "CALLS", "FAILED", "REFUSED", "OFFLINE", "TOKENS IN", "TOKENS OUT", "CACHED", "COST"]]
            for total in totals {
                var cost = total.cost.description
                if total.unpricedCalls > 0 { cost += " + \(total.unpricedCalls) unpriced" }
                rows.append([
                    total.key, "\(total.calls)", "\(total.failures)", "\(total.refused)", "\(total.offlineCalls)",
                    "\(total.inputTokens)", "\(total.outputTokens)", "\(total.cachedInputTokens)", cost,
                ])
            }
            if by == nil { rows = rows.map { Array($0.dropFirst()) } }
            print(TextTable.lines(rows).joined(separator: "\n"))
        }
        fflush(nil)
    }

    /// `2026-11-01` (UTC midnight) or a full ISO 8601 time.
    static func parseDate(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(
            text, strategy: Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day())
    }
}
