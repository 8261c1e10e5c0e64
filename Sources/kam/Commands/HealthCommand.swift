import ArgumentParser
import Foundation
import KAMCore
import KAMStore

/// `kam health CLIENT | --all`: the weighted health score with each factor's explanation, kept in history.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Score client health (usage 30%, support 20%, relationship 25%, outcomes 25%) and keep the history.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "A client (omit with --all).") var client: String?
    @Flag(help: "Every client.") var all = false
    @Flag(help: "Show the stored history too.") var history = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard (client != nil) != all else { throw ValidationError("name a CLIENT or pass --all") }
    }

    func run() async throws {
        let store = try StoreOpening.open(global)
        let clients = try all ? DraftCommand.attempt { try store.listClients() } : [StoreOpening.resolve(client!, in: store)]
        let repository = HealthRepository(store: store)
        let scorer = HealthScorer(rules: try ConfigOptions.load(explicit: nil).rules)
        let now = Date()
        var scores: [HealthScore] = []
        for client in clients {
            guard let snapshot = try DraftCommand.attempt({
                try store.snapshot(clientID: client.id, activitiesSince: now.addingTimeInterval(-30 * 86_400))
            }) else { continue }
            let previous = try DraftCommand.attempt { try repository.history(clientID: client.id, limit: 1).first }
            let score = scorer.score(snapshot, at: now)
            try DraftCommand.attempt { try repository.record(score) }
            scores.append(score)
            guard !json else { continue }
            var line = "\(client.id.padding(toLength: 12, withPad: " ", startingAt: 0))  \(String(score.score).leftPadded(3))  \(score.band.rawValue)"
            if let previous, previous.score != score.score {
                let delta = score.score - previous.score
                line += delta > 0 ? "  (+\(delta))" : "  (\(delta), was \(previous.score) on \(DraftCommand.timestamp(previous.computedAt)))"
            }
            print(line)
            for f in score.factors {
                print("    \(f.name.padding(toLength: 19, withPad: " ", startingAt: 0)) \(String(f.score).leftPadded(3)) × \(Int((f.weight * 100).rounded()))%  \(f.explanation)")
            }
            if history {
                for h in try DraftCommand.attempt({ try repository.history(clientID: client.id, limit: 10) }) {
                    print("    history \(DraftCommand.timestamp(h.computedAt))  \(h.score) \(h.band.rawValue)")
                }
            }
        }
        if json { print(try StoreOpening.json(scores)) }
        fflush(nil)
    }
}

