import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam lead CLIENT [--set STATUS --reason R]`: the lead status, its BANT score and every transition.
struct LeadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lead",
        abstract: "Show a client's lead status, BANT score and transitions, or move it by hand.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The client.") var client: String
    @Option(help: "Move to this status: new, contacted, qualified, proposal, negotiation, won, lost.")
    var set: LeadStatus?
    @Option(help: "Why (kept with the transition).") var reason: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let runtime = try await AgentRuntime.open(global)
        let leads = runtime.runtime.leads
        let target = try runtime.attempt { try runtime.client(client) }
        if let set {
            let move = try runtime.attempt { try leads.move(clientID: target.id, to: set, reason: reason, as: runtime.user) }
            if move == nil {
                print("\(target.id) is already \(set.rawValue)")
                return
            }
        }
        let lead = try runtime.attempt { try leads.lead(clientID: target.id, as: runtime.user) }
        if json {
            print(try Terminal.json(lead))
        } else {
            print("\(target.id): \(lead.status.rawValue)  BANT \(lead.bant.score) (\(lead.bant.explanation))")
            for t in lead.transitions ?? [] {
                print("  \(Terminal.timestamp(t.at))  \(t.from.rawValue) → \(t.to.rawValue)  \(t.automatic ? "automatic" : "by hand"): \(t.reason)")
            }
        }
        fflush(nil)
    }
}

extension LeadStatus: ExpressibleByArgument {}
