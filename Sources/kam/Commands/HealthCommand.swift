import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam health CLIENT | --all`: the weighted health score with each factor's explanation, kept in history.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Score client health (weights and bands from kam.yaml's rules:) and keep the history.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "A client (omit with --all).") var client: String?
    @Flag(help: "Every client.") var all = false
    @Flag(help: "Show the stored history too.") var history = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard (client != nil) != all else { throw ValidationError("name a CLIENT or pass --all") }
    }

    func run() async throws {
        let runtime = try await AgentRuntime.open(global)
        let health = runtime.runtime.health
        let scored = try runtime.attempt {
            let ids = try all ? runtime.runtime.clients.list(as: runtime.user).map(\.id) : [runtime.client(client!).id]
            return try health.score(clientIDs: ids, as: runtime.user)
        }
        if json {
            print(try Terminal.json(scored.map(\.score)))
            fflush(nil)
            return
        }
        for entry in scored {
            let score = entry.score
            var line = "\(score.clientID.padding(toLength: 12, withPad: " ", startingAt: 0))  \(String(score.score).leftPadded(3))  \(score.band.rawValue)"
            if let previous = entry.previous, previous.score != score.score {
                let delta = score.score - previous.score
                line += delta > 0 ? "  (+\(delta))" : "  (\(delta), was \(previous.score) on \(Terminal.timestamp(previous.computedAt)))"
            }
            print(line)
            for f in score.factors {
                print("    \(f.name.padding(toLength: 19, withPad: " ", startingAt: 0)) \(String(f.score).leftPadded(3)) × \(Int((f.weight * 100).rounded()))%  \(f.explanation)")
            }
            if history {
                for h in try runtime.attempt({ try health.history(clientID: score.clientID, limit: 10, as: runtime.user) }) {
                    print("    history \(Terminal.timestamp(h.computedAt))  \(h.score) \(h.band.rawValue)")
                }
            }
        }
        fflush(nil)
    }
}
