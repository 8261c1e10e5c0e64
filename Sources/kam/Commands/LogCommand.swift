import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam log CLIENT --call|--meeting|--note|--email [--direction in|out] [--at DATE] [--sentiment N] "summary"`:
/// what happened with a client, then its health, lead moves and suggestions re-run (a call resets the
/// inactivity clock, so the follow-up suggestion is resolved).
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Log a call, meeting, note or email with a client; its health and suggestions follow.")

    /// `--call`, `--meeting`, `--note`, `--email`: exactly one.
    enum Kind: String, EnumerableFlag {
        case call, meeting, note, email

        static func help(for value: Kind) -> ArgumentHelp? {
            switch value {
            case .call: "A phone or video call."
            case .meeting: "A meeting."
            case .note: "An internal note (direction internal unless --direction says otherwise)."
            case .email: "An email (one sent outside kam; `kam email ingest` reads received ones)."
            }
        }

        var activityKind: ActivityKind {
            switch self {
            case .call: .call
            case .meeting: .meeting
            case .note: .note
            case .email: .email
            }
        }
    }

    /// `--direction in|out|internal` (also `inbound`, `outbound`).
    enum Direction: String, ExpressibleByArgument, CaseIterable {
        case `in`, out, `internal`

        init?(argument: String) {
            switch argument.lowercased() {
            case "in", "inbound": self = .in
            case "out", "outbound": self = .out
            case "internal": self = .internal
            default: return nil
            }
        }

        var activityDirection: ActivityDirection {
            switch self {
            case .in: .inbound
            case .out: .outbound
            case .internal: .internal
            }
        }
    }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Client id, name, external id, contact email or domain.") var client: String
    @Flag var kind: Kind
    @Argument(help: "What happened (the first line is the subject).") var summary: String
    @Option(help: "in: they reached us; out: we reached them (default; internal for a note).")
    var direction: Direction?
    @Option(help: "When it happened: YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC); default now.") var at: DayArgument?
    @Option(help: "How it went, from -1 (negative) to 1 (positive).") var sentiment: Double?
    @Option(name: .customLong("with"), help: "The contact it was with: id, email or name.") var contact: String?
    @Flag(help: "Print the stored activity and what it changed as JSON.") var json = false

    func run() async throws {
        let runtime = try await AgentRuntime.open(global)
        let logged = try runtime.attempt {
            let target = try runtime.client(client)
            return try runtime.runtime.activities.log(
                ActivityService.Entry(
                    clientID: target.id, kind: kind.activityKind, direction: direction?.activityDirection,
                    at: at?.date, sentiment: sentiment, summary: summary, contact: contact),
                as: runtime.user)
        }
        let a = logged.activity
        try RefreshReport.print(
            "logged \(a.kind.rawValue) \(a.direction.rawValue) with \(a.clientID) at \(Terminal.timestamp(a.occurredAt)) "
                + "(activity \(a.id ?? 0)): \(a.subject ?? "")",
            logged.refresh, json: json ? logged : nil)
    }
}
