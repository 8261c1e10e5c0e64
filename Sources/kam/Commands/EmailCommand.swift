import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam email ingest|list|show`: inbound email intake.
///
/// Ingesting matches each message to a client, analyses it (with the client's consent), and stores
/// the email, an activity, tasks for its action items and a pending acknowledgment draft. Nothing is
/// ever sent: the draft waits for a person (`kam draft approve`).
///
/// Exit codes of `ingest`: 0 every message was stored (new, duplicate or unmatched), 14 at least one
/// message could not be parsed (it is stored as `failed` intake with its raw bytes, and the others
/// were stored all the same), 6 a CSV export was refused as a whole, 4 the input file cannot be read.
struct EmailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "email",
        abstract: "Ingest client email (.eml, mbox, workbench CSV) and inspect what was stored.",
        subcommands: [Ingest.self, List.self, Show.self]
    )

    /// The CSV exports `--csv` reads.
    enum CSVFormat: String, ExpressibleByArgument, CaseIterable {
        case workbench
    }

    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ingest an .eml file, an mbox file, standard input (-) or a workbench CSV export.",
            discussion: """
                Prints one line per message: status (new, duplicate, unmatched, failed), client, match and \
                confidence, intent, urgency, tasks created and draft id. Re-ingesting a message is a no-op. \
                Exits 14 when a message could not be parsed: it is kept as failed intake (`kam email list \
                --status failed`), and every other message is stored all the same.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @Argument(help: "An .eml or mbox file, or - for standard input; with --csv, the CSV file.")
        var file: String?
        @Option(help: "Read a CSV export: workbench (email_id, inbox/outbox, sender/recipient, subject, sent_datetime, body).")
        var csv: CSVFormat?
        @Option(help: "Prompt folder (default: $KAM_PROMPTS, ./Prompts, or the shipped set).") var prompts: String?
        @Flag(help: "Match and store only: no analysis, no draft, no model calls.") var noAnalysis = false
        @Option(help: "Ingest at most this many messages.") var limit: Int?
        @Flag(help: "Print a JSON array, one object per message.") var json = false

        func run() async throws {
            let source: EmailService.Source
            if csv != nil {
                source = .workbench(file: file ?? EmailService.defaultWorkbenchFile)
            } else if let file {
                source = file == "-" ? .bytes(Array(FileHandle.standardInput.readDataToEndOfFile())) : .file(file)
            } else {
                Terminal.printError("kam: name an .eml or mbox file, - for standard input, or use --csv workbench")
                throw ExitCode.validationFailure
            }
            let runtime = try await AgentRuntime.open(global, config, prompts: prompts)
            let report = try await runtime.attempt {
                try await runtime.runtime.email.ingest(source, analyse: !noAnalysis, limit: limit, as: runtime.user) {
                    guard !json else { return }
                    Swift.print(EmailCommand.text($0))
                    fflush(nil)
                }
            }
            if json {
                Swift.print(try Terminal.json(report.results))
            } else {
                Swift.print(
                    "\(report.results.count) message\(report.results.count == 1 ? "" : "s"): "
                        + EmailIntakeStatus.allCases.map { "\(report.count($0)) \($0.rawValue)" }.joined(separator: ", "))
            }
            fflush(nil)
            let failed = report.count(.failed)
            if failed > 0 {
                Terminal.printError(
                    "kam: \(failed) message\(failed == 1 ? "" : "s") could not be parsed and \(failed == 1 ? "is" : "are") kept "
                        + "as failed intake with the raw bytes; `kam email list --status failed` lists them, "
                        + "`kam email show ID --raw` prints one")
                throw ExitCodes.someMessagesFailed.exit
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List ingested email, newest first.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this client's email.") var client: String?
        @Option(help: "Only email in this status (new, unmatched, failed).") var status: EmailIntakeStatus?
        @Option(help: "At most this many.") var limit = 50
        @Flag(help: "Print a JSON array.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let entries = try runtime.attempt {
                let clientID = try client.map { try runtime.client($0).id }
                return try runtime.runtime.email.list(clientID: clientID, status: status, limit: limit)
            }
            if json {
                Swift.print(try Terminal.json(entries))
            } else if entries.isEmpty {
                Swift.print("No email. Ingest some with `kam email ingest FILE.eml`.")
            } else {
                for e in entries {
                    Swift.print(
                        "\(String(e.id).padding(toLength: 6, withPad: " ", startingAt: 0))"
                            + "\(Terminal.timestamp(e.receivedAt))  "
                            + "\(e.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  "
                            + "\((e.clientID ?? "-").padding(toLength: 14, withPad: " ", startingAt: 0))  "
                            + "\((e.from ?? "-").padding(toLength: 28, withPad: " ", startingAt: 0))  "
                            + (e.subject ?? e.failure ?? ""))
                }
            }
            fflush(nil)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an ingested email: match, analysis, tasks and draft.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The email's id (from `kam email list`) or its Message-ID.") var id: String
        @Flag(help: "Print the raw message as received.") var raw = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let email = runtime.runtime.email
            if raw {
                FileHandle.standardOutput.write(Data(try runtime.attempt { try email.raw(id) }))
                return
            }
            let entry = try runtime.attempt { try email.entry(id) }
            if json {
                Swift.print(try Terminal.json(entry))
                fflush(nil)
                return
            }
            var out: [String] = []
            out.append("Email \(entry.id)  \(entry.status.rawValue)  <\(entry.messageID)>")
            out.append("From: \(entry.from ?? "-")")
            out.append("Subject: \(entry.subject ?? "-")")
            out.append("Received: \(Terminal.timestamp(entry.receivedAt))" + (entry.threadID.map { "  thread <\($0)>" } ?? ""))
            if let failure = entry.failure { out.append("Failed: \(failure)  (raw \(entry.rawBytes) bytes kept)") }
            let confidence = String(format: "%.2f", entry.confidence)
            out.append(
                "Client: \(entry.clientID ?? "-")  match \(entry.match.rawValue) \(confidence)"
                    + (entry.direction.map { "  \($0.rawValue)" } ?? ""))
            if let reason = entry.matchReason { out.append("  \(reason)") }
            if !entry.candidates.isEmpty { out.append("  candidates: \(entry.candidates.joined(separator: ", "))") }
            if let analysis = entry.analysis {
                out.append(
                    "Analysis (\(entry.analysisPrompt ?? "?")): intent \(analysis.intent.rawValue), urgency "
                        + "\(analysis.urgency.rawValue), sentiment \(String(format: "%+.2f", analysis.sentimentScore))")
                for item in analysis.actionItems {
                    out.append("  - \(item.description)" + (item.dueHint.map { " (\($0))" } ?? ""))
                }
                if !analysis.requestedDeliverables.isEmpty {
                    out.append("  deliverables: \(analysis.requestedDeliverables.joined(separator: "; "))")
                }
                if !analysis.objections.isEmpty {
                    out.append("  objections: " + analysis.objections.map { "\($0.kind.rawValue) \"\($0.quote)\"" }.joined(separator: "; "))
                }
                if !analysis.competitors.isEmpty { out.append("  competitors: \(analysis.competitors.joined(separator: "; "))") }
            } else if let note = entry.analysisNote {
                out.append("Analysis: \(note)")
            }
            if !entry.taskIDs.isEmpty { out.append("Tasks: \(entry.taskIDs.map(String.init).joined(separator: ", "))") }
            if let draft = entry.draftID {
                out.append("Draft: \(draft) (pending a person's approval: `kam draft show \(draft)`)")
            } else if let note = entry.draftNote {
                out.append("Draft: \(note)")
            }
            if let message = entry.message, !message.text.isEmpty {
                out.append("")
                out.append(String(message.text.prefix(2000)))
            }
            Swift.print(out.joined(separator: "\n"))
            fflush(nil)
        }
    }

    /// One ingested message as a line for a person: status, client, match and confidence, intent and
    /// urgency (or why not), tasks, draft, lead change, subject.
    static func text(_ result: EmailIngestResult) -> String {
        var parts = [result.status.padding(toLength: 9, withPad: " ", startingAt: 0)]
        switch result.status {
        case "failed":
            parts.append("id \(result.id.map(String.init) ?? "-")  \(result.failure ?? "")")
            return parts.joined(separator: " ")
        case "duplicate":
            parts.append("<\(result.messageID)> already ingested" + (result.id.map { " as \($0)" } ?? ""))
            return parts.joined(separator: " ")
        default:
            break
        }
        let who = result.client ?? (result.candidates.isEmpty ? "-" : "? (\(result.candidates.joined(separator: "|")))")
        parts.append("\(who) (\(result.match) \(String(format: "%.2f", result.confidence)))")
        if result.client == nil {
            parts.append(result.matchReason)
        } else if let intent = result.intent, let urgency = result.urgency {
            parts.append("intent \(intent), urgency \(urgency)")
        } else if let analysisNote = result.analysisNote {
            parts.append(analysisNote)
        }
        if result.client != nil {
            parts.append("tasks \(result.tasks.count)")
            parts.append("draft \(result.draftID ?? "-")")
        }
        if let leadStatus = result.leadStatus { parts.append("lead \(leadStatus)") }
        parts.append("— \(result.subject ?? "")")
        return parts.joined(separator: "  ")
    }
}

extension EmailIntakeStatus: ExpressibleByArgument {}
