import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam deal add|update|move|won|lost|list`: deals and their stage history; an update changes a deal's own fields,
/// a move records who and when, and closing one moves the lead (won → won) and re-scores the client.
struct DealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deal",
        abstract: "Add deals, change them, move them through the stages (won, lost) and list them with their history.",
        subcommands: [Add.self, Update.self, Move.self, Won.self, Lost.self, List.self]
    )

    /// A deal's cells: id, client, stage (with days in it while open), amount, probability, close date, name.
    static func cells(_ d: Deal, now: Date) -> [String] {
        let stage = d.stage.isOpen ? "\(d.stage.rawValue) \(d.daysInStage(at: now))d" : d.stage.rawValue
        return [
            "\(d.id ?? 0)", d.clientID, stage, "\(Self.amount(d.amount)) \(d.currency)",
            "\(Int((d.probability * 100).rounded()))%", d.closeDate.map(ImportDate.day) ?? "-", d.name,
        ]
    }

    /// One deal on one line, for `add`.
    static func line(_ d: Deal, now: Date) -> String {
        TextTable.lines([cells(d, now: now)])[0]
    }

    /// The stage history, one indented line a stage: when, the stage, and who moved it there.
    static func history(_ d: Deal) -> [String] {
        d.history.map { "    \(Terminal.timestamp($0.enteredAt))  \($0.stage.rawValue)" + ($0.by.map { "  by \($0)" } ?? "") }
    }

    static func amount(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// Runs a move and prints it: `deal 1 (Line 3 expansion, acme): negotiation → closed-won by maria at ...`.
    static func move(_ global: GlobalOptions, id: Int64, to stage: DealStage, json: Bool) async throws {
        let runtime = try await AgentRuntime.open(global)
        let write = try runtime.attempt { try runtime.runtime.deals.move(id, to: stage, as: runtime.user) }
        let d = write.deal
        let last = d.history.last
        try RefreshReport.print(
            "deal \(id) (\(d.name), \(d.clientID)): \(write.from?.rawValue ?? "-") → \(d.stage.rawValue)"
                + (last?.by.map { " by \($0)" } ?? "") + " at \(Terminal.timestamp(last?.enteredAt ?? d.stageEnteredAt))",
            write.refresh, leadMove: write.leadTransition, json: json ? write : nil)
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an open deal for a client.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Client id, name, external id, contact email or domain.") var client: String
        @Argument(help: "The deal's name.") var name: String
        @Option(help: "Its value, in --currency.") var amount: Double
        @Option(help: "Currency, ISO 4217 (default: the client's).") var currency: String?
        @Option(help: "The open stage it starts in.") var stage: DealStage = .prospecting
        @Option(help: "Expected close date: YYYY-MM-DD.") var close: DayArgument?
        @Option(help: "Chance to win, in percent (0–100; default 50).") var probability: Double?
        @Flag(help: "Print the stored deal and what it changed as JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let write = try runtime.attempt {
                let target = try runtime.client(client)
                return try runtime.runtime.deals.add(
                    DealService.Entry(
                        clientID: target.id, name: name, amount: amount, currency: currency, stage: stage,
                        closeDate: close?.date, probability: probability.map { $0 / 100 }),
                    as: runtime.user)
            }
            try RefreshReport.print(
                "added deal " + DealCommand.line(write.deal, now: runtime.runtime.now()), write.refresh,
                leadMove: write.leadTransition, json: json ? write : nil)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a deal's name, amount, currency, close date or probability (its stage moves with `kam deal move`).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Deal id (`kam deal list`).") var id: Int64
        @Option(help: "Its new name.") var name: String?
        @Option(help: "Its value, in its currency.") var amount: Double?
        @Option(help: "Currency, ISO 4217.") var currency: String?
        @Option(help: "Expected close date: YYYY-MM-DD.") var close: DayArgument?
        @Flag(help: "Remove the expected close date.") var noClose = false
        @Option(help: "Chance to win, in percent (0–100); an open deal's only.") var probability: Double?
        @Flag(help: "Print the deal, the fields that changed and what re-scoring changed as JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let update = try runtime.attempt {
                try runtime.runtime.deals.update(
                    id,
                    DealService.Fields(
                        name: name, amount: amount, currency: currency, closeDate: close?.date, clearCloseDate: noClose,
                        probability: probability.map { $0 / 100 }),
                    as: runtime.user)
            }
            guard let refresh = update.refresh else {
                print(json ? try Terminal.json(update) : "deal \(id) unchanged: every value given was already stored")
                return
            }
            try RefreshReport.print(
                "updated deal " + DealCommand.line(update.deal, now: runtime.runtime.now())
                    + "  (\(update.fields.joined(separator: ", ")))",
                refresh, json: json ? update : nil)
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a deal to a stage (prospecting, qualification, proposal, negotiation, closed-won, closed-lost).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Deal id (`kam deal list`).") var id: Int64
        @Argument(help: "The new stage.") var stage: DealStage
        @Flag(help: "Print the deal and what it changed as JSON.") var json = false

        func run() async throws {
            try await DealCommand.move(global, id: id, to: stage, json: json)
        }
    }

    struct Won: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a deal as won; the client's lead becomes won.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Deal id (`kam deal list`).") var id: Int64
        @Flag(help: "Print the deal and what it changed as JSON.") var json = false

        func run() async throws {
            try await DealCommand.move(global, id: id, to: .closedWon, json: json)
        }
    }

    struct Lost: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a deal as lost; the lead is lost when no other deal is open and it was not won.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Deal id (`kam deal list`).") var id: Int64
        @Flag(help: "Print the deal and what it changed as JSON.") var json = false

        func run() async throws {
            try await DealCommand.move(global, id: id, to: .closedLost, json: json)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open deals (oldest in their stage first), with --all closed ones too.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Only this client's (default: every client's).") var client: String?
        @Flag(help: "Also closed deals.") var all = false
        @Flag(help: "Show each deal's stage history (when, stage, who).") var history = false
        @Flag(help: "Print a JSON array (with the history).") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let deals = try runtime.attempt {
                let clientID = try client.map { try runtime.client($0).id }
                return try runtime.runtime.deals.list(clientID: clientID, includeClosed: all, as: runtime.user)
            }
            if json {
                print(try Terminal.json(deals))
            } else if deals.isEmpty {
                print(all ? "No deals." : "No open deals. Add one with `kam deal add CLIENT NAME --amount N`.")
            } else {
                let now = runtime.runtime.now()
                let header = ["ID", "CLIENT", "STAGE", "AMOUNT", "PROB", "CLOSE", "NAME"]
                let rows = TextTable.lines([header] + deals.map { DealCommand.cells($0, now: now) })
                print(rows[0])
                for (deal, row) in zip(deals, rows.dropFirst()) {
                    print(row)
                    if history { DealCommand.history(deal).forEach { print($0) } }
                }
            }
            fflush(nil)
        }
    }
}

extension DealStage: ExpressibleByArgument {}
