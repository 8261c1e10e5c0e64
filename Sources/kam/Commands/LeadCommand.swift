import ArgumentParser
import Foundation
import KAMCore
import KAMStore

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
        let store = try StoreOpening.open(global)
        let target = try StoreOpening.resolve(client, in: store)
        let repository = HealthRepository(store: store)
        let now = Date()
        if let set {
            guard let move = LeadLifecycle.manual(
                clientID: target.id, from: target.leadStatus, to: set, reason: reason ?? "set by hand", at: now)
            else {
                print("\(target.id) is already \(set.rawValue)")
                return
            }
            try DraftCommand.attempt { try repository.apply(move) }
        }
        guard let snapshot = try DraftCommand.attempt({
            try store.snapshot(clientID: target.id, activitiesSince: now.addingTimeInterval(-30 * 86_400))
        }) else { throw ExitCode(StoreOpening.notFound) }
        let score = LeadScorer(rules: try ConfigOptions.load(explicit: nil).rules).score(snapshot, at: now)
        let transitions = try DraftCommand.attempt { try repository.transitions(clientID: target.id) }
        if json {
            struct Output: Encodable {
                var client: String
                var status: String
                var bant: LeadScore
                var transitions: [LeadTransition]
            }
            print(try StoreOpening.json(Output(client: target.id, status: snapshot.client.leadStatus.rawValue, bant: score, transitions: transitions)))
        } else {
            print("\(target.id): \(snapshot.client.leadStatus.rawValue)  BANT \(score.score) (\(score.explanation))")
            for t in transitions {
                print("  \(DraftCommand.timestamp(t.at))  \(t.from.rawValue) → \(t.to.rawValue)  \(t.automatic ? "automatic" : "by hand"): \(t.reason)")
            }
        }
        fflush(nil)
    }
}

extension LeadStatus: ExpressibleByArgument {}
