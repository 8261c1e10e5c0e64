import Foundation
import KAMCore
import KAMRuntime

/// How every CRM write (`kam clients add|update`, `contacts`, `log`, `task`, `deal`) shows what it changed
/// downstream: the lead moves, the health score, and the suggestions added and resolved.
enum RefreshReport {
    /// The lines under a write's first line, each indented two spaces.
    ///
    /// - Parameter leadMove: the lead move the write itself made (a deal won, a lead status set by hand),
    ///   shown before the refresh's automatic ones.
    static func lines(_ outcome: ClientRefresh.Outcome, leadMove: LeadTransition? = nil) -> [String] {
        var lines: [String] = []
        for move in [leadMove].compactMap({ $0 }) + outcome.leadTransitions {
            lines.append("  lead \(move.from.rawValue) → \(move.to.rawValue) (\(move.reason))")
        }
        if let health = outcome.health {
            let change = outcome.previousHealth.flatMap { $0 == health.score ? nil : "\($0) → " } ?? ""
            lines.append("  health \(change)\(health.score) (\(health.band.rawValue))")
        }
        for s in outcome.resolved { lines.append("  resolved \(s.id) \(s.type.rawValue): \(s.title)") }
        for s in outcome.added.sorted(by: { $0.priority > $1.priority }) {
            lines.append("  + [\(s.priority)] \(s.id) \(s.type.rawValue): \(s.title)")
        }
        return lines
    }

    /// Prints `first` and the refresh's lines on stdout, or `json` as JSON; a failed refresh is a warning
    /// on stderr (the write itself is stored, so the exit status stays 0).
    static func print<T: Encodable>(
        _ first: String, _ outcome: ClientRefresh.Outcome, leadMove: LeadTransition? = nil, json: T?
    ) throws {
        if let json {
            Swift.print(try Terminal.json(json))
        } else {
            Swift.print(([first] + lines(outcome, leadMove: leadMove)).joined(separator: "\n"))
        }
        if let failure = outcome.failure {
            Terminal.printError("kam: warning: re-scoring \(outcome.clientID) failed: \(failure)")
        }
        fflush(nil)
    }
}
