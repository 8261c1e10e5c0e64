import ArgumentParser
import Foundation
import KAMCore
import KAMStore

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

    /// `kam email ingest`: some messages could not be parsed; they are kept as `failed` intake.
    static let someMessagesFailed = ExitCodes.someMessagesFailed.rawValue

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
            let runtime = try await AgentRuntime.open(global, config, prompts: prompts)
            let items = try loadItems(runtime.store)
            let intake = try makeIntake(runtime)
            var lines: [IngestLine] = []
            var counts: [EmailIntakeStatus: Int] = [:]
            for item in items.prefix(limit ?? Int.max) {
                let outcome: EmailIntakeOutcome
                do {
                    outcome = try await intake.ingest(item)
                } catch {
                    throw AgentRuntime.fail(error)
                }
                counts[outcome.status, default: 0] += 1
                let line = IngestLine(outcome)
                if json {
                    lines.append(line)
                } else {
                    Swift.print(line.text)
                    fflush(nil)
                }
            }
            if json {
                Swift.print(try StoreOpening.json(lines))
            } else {
                let total = counts.values.reduce(0, +)
                Swift.print(
                    "\(total) message\(total == 1 ? "" : "s"): "
                        + EmailIntakeStatus.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
            }
            fflush(nil)
            if let failed = counts[.failed], failed > 0 {
                StoreOpening.printError(
                    "kam: \(failed) message\(failed == 1 ? "" : "s") could not be parsed and \(failed == 1 ? "is" : "are") kept "
                        + "as failed intake with the raw bytes; `kam email list --status failed` lists them, "
                        + "`kam email show ID --raw` prints one")
                throw ExitCode(EmailCommand.someMessagesFailed)
            }
        }

        /// The items of the input: CSV rows, mbox messages, or one message.
        func loadItems(_ store: ClientStore) throws -> [EmailIntakeItem] {
            if let csv {
                let path = file ?? EmailCommand.defaultWorkbenchFile
                let text = String(decoding: try EmailCommand.read(path), as: UTF8.self)
                let records: [CSVReader.Record]
                do {
                    records = try CSVReader().records(text)
                } catch {
                    StoreOpening.printError("kam: \(path):\(error.line): \(error.message)")
                    throw ExitCode(StoreOpening.importRefused)
                }
                switch csv {
                case .workbench:
                    let mailbox = try global.userID.flatMap { id in
                        try store.user(id: id).map { EmailAddress(name: $0.name, address: $0.email) }
                    }
                    do {
                        return try EmailIntake.workbenchItems(
                            records: records.map { ($0.line, $0.fields) }, file: path, mailbox: mailbox)
                    } catch {
                        StoreOpening.printError("kam: \(error)")
                        throw ExitCode(StoreOpening.importRefused)
                    }
                }
            }
            guard let file else {
                StoreOpening.printError("kam: name an .eml or mbox file, - for standard input, or use --csv workbench")
                throw ExitCode.validationFailure
            }
            return EmailIntakeItem.items(fromFile: try EmailCommand.read(file))
        }

        func makeIntake(_ runtime: AgentRuntime) throws -> EmailIntake {
            var analysis: EmailIntake.Step?
            var acknowledgment: EmailIntake.Step?
            if !noAnalysis {
                let analysisTemplate = try runtime.template("analysis.inbound-email")
                let (analysisRunner, analysisRoute) = try runtime.runner(forPrompt: analysisTemplate.id)
                analysis = EmailIntake.Step(
                    runner: analysisRunner, template: analysisTemplate, options: runtime.options(for: analysisRoute))
                let draftTemplate = try runtime.template(DraftKind.acknowledgment.promptID)
                let (draftRunner, draftRoute) = try runtime.runner(forPrompt: draftTemplate.id)
                acknowledgment = EmailIntake.Step(
                    runner: draftRunner, template: draftTemplate, options: runtime.options(for: draftRoute))
            }
            let store = runtime.store
            return EmailIntake(
                store: InboundEmailRepository(store: store), memory: store, tokenCounter: try runtime.tokenizer,
                analysis: analysis, acknowledgment: acknowledgment, attribution: try runtime.attribution(clientID: nil),
                now: runtime.runtime.now, makeDraftID: { [ids = runtime.runtime.ids] in ids.make(.draft) })
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
            let store = try StoreOpening.open(global)
            let clientID = try client.map { try StoreOpening.resolve($0, in: store).id }
            let entries = try EmailCommand.attempt {
                try InboundEmailRepository(store: store).list(clientID: clientID, status: status, limit: limit)
            }
            if json {
                Swift.print(try StoreOpening.json(entries))
            } else if entries.isEmpty {
                Swift.print("No email. Ingest some with `kam email ingest FILE.eml`.")
            } else {
                for e in entries {
                    Swift.print(
                        "\(String(e.id).padding(toLength: 6, withPad: " ", startingAt: 0))"
                            + "\(DraftCommand.timestamp(e.receivedAt))  "
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
            let store = try StoreOpening.open(global)
            let repository = InboundEmailRepository(store: store)
            guard let entry = try EmailCommand.attempt({ try repository.entry(id) }) else {
                StoreOpening.printError("kam: no ingested email has id or Message-ID '\(id)'; `kam email list` shows them")
                throw ExitCode(StoreOpening.notFound)
            }
            if raw {
                let bytes = try EmailCommand.attempt { try repository.raw(id: entry.id) } ?? []
                FileHandle.standardOutput.write(Data(bytes))
                return
            }
            if json {
                Swift.print(try StoreOpening.json(entry))
                fflush(nil)
                return
            }
            var out: [String] = []
            out.append("Email \(entry.id)  \(entry.status.rawValue)  <\(entry.messageID)>")
            out.append("From: \(entry.from ?? "-")")
            out.append("Subject: \(entry.subject ?? "-")")
            out.append("Received: \(DraftCommand.timestamp(entry.receivedAt))" + (entry.threadID.map { "  thread <\($0)>" } ?? ""))
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

    // MARK: - Shared

    /// Where the workbench email export lives on the project machines.
    static let defaultWorkbenchFile = "/work/shared/data/crm/workbench-emails.csv"

    /// The bytes of `path`, or of standard input for `-`.
    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            StoreOpening.printError("kam: cannot read \(path): \(error.localizedDescription)")
            throw ExitCode(StoreOpening.notFound)
        }
    }

    @discardableResult
    static func attempt<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw StoreOpening.fail(error)
        }
    }

    /// One message's result, for people and for `--json`.
    struct IngestLine: Encodable {
        var status: String
        var id: Int64?
        var messageID: String
        var client: String?
        var match: String
        var confidence: Double
        var direction: String
        var candidates: [String]
        var matchReason: String
        var intent: String?
        var urgency: String?
        var sentiment: Double?
        var tasks: [TaskLine]
        var draftID: String?
        var analysisNote: String?
        var draftNote: String?
        var failure: String?
        var leadStatus: String?
        var inputTokens: Int
        var outputTokens: Int
        var subject: String?

        struct TaskLine: Encodable {
            var id: Int64?
            var title: String
            var due: Date?
            var priority: String
        }

        init(_ o: EmailIntakeOutcome) {
            status = o.status.rawValue
            id = o.entryID
            messageID = o.messageID
            client = o.match.clientID
            match = o.match.method.rawValue
            confidence = o.match.confidence
            direction = o.match.direction.rawValue
            candidates = o.match.candidates
            matchReason = o.match.reason
            intent = o.analysis?.intent.rawValue
            urgency = o.analysis?.urgency.rawValue
            sentiment = o.analysis?.sentimentScore
            tasks = o.tasks.map { TaskLine(id: $0.id, title: $0.title, due: $0.due, priority: $0.priority.rawValue) }
            draftID = o.draftID
            analysisNote = o.analysisNote
            draftNote = o.draftNote
            failure = o.failure
            leadStatus = o.leadTransition.map { "\($0.from.rawValue) → \($0.to.rawValue)" }
            inputTokens = o.usage.inputTokens
            outputTokens = o.usage.outputTokens
            subject = o.subject
        }

        var text: String {
            var parts = [status.padding(toLength: 9, withPad: " ", startingAt: 0)]
            switch status {
            case "failed":
                parts.append("id \(id.map(String.init) ?? "-")  \(failure ?? "")")
                return parts.joined(separator: " ")
            case "duplicate":
                parts.append("<\(messageID)> already ingested" + (id.map { " as \($0)" } ?? ""))
                return parts.joined(separator: " ")
            default:
                break
            }
            let who = client ?? (candidates.isEmpty ? "-" : "? (\(candidates.joined(separator: "|")))")
            parts.append("\(who) (\(match) \(String(format: "%.2f", confidence)))")
            if client == nil {
                parts.append(matchReason)
            } else if let intent, let urgency {
                parts.append("intent \(intent), urgency \(urgency)")
            } else if let analysisNote {
                parts.append(analysisNote)
            }
            if client != nil {
                parts.append("tasks \(tasks.count)")
                parts.append("draft \(draftID ?? "-")")
            }
            if let leadStatus { parts.append("lead \(leadStatus)") }
            parts.append("— \(subject ?? "")")
            return parts.joined(separator: "  ")
        }
    }
}

extension EmailIntakeStatus: ExpressibleByArgument {}
