import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam tickets import|list|show|analyse|reply|insights`: support tickets from a help desk's export, linked to
/// clients, analysed, answered by reply drafts a person reviews.
struct TicketsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickets",
        abstract: "Support tickets: import a help desk's export, analyse them, draft replies, see a client's support.",
        subcommands: [Import.self, List.self, Show.self, Analyse.self, Reply.self, Insights.self], defaultSubcommand: List.self)

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import tickets from a help desk's CSV export (through a mapping) or JSON API export.",
            discussion: """
                CSV goes through --map: `zendesk` (built in: Id, Subject, Description, Status, Priority, Requester \
                email, Organization, Tags, Created at, Updated at) or a YAML/JSON mapping file (ticket.FIELD: column). \
                JSON is read as {"tickets": [...]} with Zendesk's field names. Each ticket is linked to the client of \
                its requester's contact, else the organization of that name, else the requester's company domain; \
                the rest are kept unlinked. One file is one transaction: a bad row is reported with its line and \
                field and nothing is stored; importing it again updates the tickets (status, priority, text).
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The export (.csv or .json).") var file: String
        @Option(name: .customLong("map"), help: "CSV mapping: 'zendesk' or a YAML/JSON mapping file.") var mapping = "zendesk"
        @Option(help: "The file's character encoding: utf-8 (default), windows-1252 or latin-1.") var encoding: String?
        @Flag(help: "Print the counts as JSON.") var json = false

        func run() async throws {
            var fileEncoding = ImportEncoding.utf8
            if let encoding {
                guard let parsed = ImportEncoding(name: encoding) else {
                    throw ValidationError("--encoding must be one of \(ImportEncoding.names), not '\(encoding)'")
                }
                fileEncoding = parsed
            }
            let runtime = try await AgentRuntime.open(global)
            let outcome = try runtime.attempt {
                try runtime.runtime.support.importFile(file, mapping: mapping, encoding: fileEncoding, as: runtime.user)
            }
            try Self.print(outcome, file: file, json: json)
        }

        /// The counts of a tickets' import (also `kam import --map zendesk`).
        static func print(_ outcome: TicketImportOutcome, file: String, json: Bool) throws {
            if json {
                Swift.print(try Terminal.json(outcome))
            } else {
                Swift.print(
                    "Imported \((file as NSString).lastPathComponent): \(outcome.created) created, \(outcome.updated) updated, "
                        + "\(outcome.unchanged) unchanged; \(outcome.unlinked) new ones without a client (`kam tickets list --unlinked`)")
                for (reason, count) in outcome.links.sorted(by: { $0.key < $1.key }) {
                    Swift.print("  linked by \(reason): \(count)")
                }
            }
            fflush(nil)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tickets, newest first.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this client's tickets (id, name, domain...).") var client: String?
        @Option(help: "Only tickets in this status: \(TicketStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
        var status: String?
        @Flag(help: "Only tickets still open (new, open, pending, hold).") var open = false
        @Flag(help: "Only tickets no client was found for.") var unlinked = false
        @Option(help: "At most this many.") var limit = 50
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let parsedStatus = try status.map { text in
                guard let status = TicketStatus(rawValue: text) else {
                    throw ValidationError("--status must be one of \(TicketStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return status
            }
            let runtime = try await AgentRuntime.open(global)
            let tickets = try runtime.attempt {
                let clientID = try client.map { try runtime.runtime.client($0, as: runtime.user).id }
                return try runtime.runtime.support.list(
                    .init(clientID: clientID, status: parsedStatus, openOnly: open, unlinkedOnly: unlinked), limit: limit,
                    as: runtime.user)
            }
            if json {
                print(try Terminal.json(tickets))
            } else if tickets.isEmpty {
                print("No tickets. Import a help desk's export with `kam tickets import FILE`.")
            } else {
                let rows = tickets.map { ticket in
                    [
                        "#\(ticket.id ?? 0)", Terminal.day(ticket.createdAt), ticket.clientID ?? "-", ticket.status.rawValue,
                        ticket.priority.rawValue, Self.mood(ticket.analysis), String(ticket.subject.prefix(60)),
                    ]
                }
                print(TextTable.lines([["ID", "OPENED", "CLIENT", "STATUS", "PRIORITY", "SENTIMENT", "SUBJECT"]] + rows).joined(separator: "\n"))
            }
            fflush(nil)
        }

        static func mood(_ analysis: TicketAnalysis?) -> String {
            guard let analysis else { return "-" }
            return String(format: "%+.2f %@", analysis.sentiment, analysis.urgency.rawValue)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a ticket: its text, client link, analysis and reply draft.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The ticket's id (#12 in `kam tickets list`).") var id: Int64
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let ticket = try runtime.attempt { try runtime.runtime.support.ticket(id, as: runtime.user) }
            if json {
                print(try Terminal.json(ticket))
                return
            }
            print("#\(id) \(ticket.subject)")
            print("  \(ticket.status.rawValue), priority \(ticket.priority.rawValue), opened \(Terminal.timestamp(ticket.createdAt))"
                + " via \(ticket.channel.rawValue)\(ticket.externalID.map { " (\($0))" } ?? "")")
            print("  requester: \(ticket.requester ?? "-")\(ticket.organization.map { " at \($0)" } ?? "")")
            print("  client: \(ticket.clientID.map { "\($0) (by \(ticket.link ?? "hand"))" } ?? "none found")")
            if !ticket.tags.isEmpty { print("  tags: \(ticket.tags.joined(separator: ", "))") }
            if let analysis = ticket.analysis {
                print(String(
                    format: "  analysis: sentiment %+.2f%@, urgency %@, intent %@, topics %@ (%@)", analysis.sentiment,
                    analysis.isNegative ? " (negative)" : "", analysis.urgency.rawValue, analysis.intent.rawValue,
                    analysis.topics.joined(separator: ", "), analysis.prompt))
            } else {
                print("  analysis: none yet (`kam tickets analyse \(id)`)")
            }
            if let draft = ticket.replyDraftID { print("  reply draft: \(draft) (`kam draft show \(draft)`)") }
            print("")
            print(ticket.body)
            fflush(nil)
        }
    }

    struct Analyse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "analyse",
            abstract: "Read tickets' sentiment, urgency, intent and topics, then refresh their clients' health.",
            discussion: """
                Runs analysis.inbound-email on the ticket's subject and description (fenced as untrusted) with the \
                client's context, through the configured provider (offline by default), and names its topics by \
                keyword. Without ids it takes the unanalysed tickets of linked clients. A client that has not \
                consented to AI analysis is skipped with the reason.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Ticket ids (default: every unanalysed ticket with a client, up to --limit).") var ids: [Int64] = []
        @Option(help: "At most this many unanalysed tickets.") var limit = 100
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let results = try await runtime.attempt {
                try await runtime.runtime.support.analyse(ids, limit: limit, as: runtime.user)
            }
            if json {
                print(try Terminal.json(results))
            } else if results.isEmpty {
                print("No ticket to analyse.")
            } else {
                for result in results {
                    if let analysis = result.analysis {
                        print(String(
                            format: "#%lld sentiment %+.2f, urgency %@, intent %@, topics %@", result.ticketID, analysis.sentiment,
                            analysis.urgency.rawValue, analysis.intent.rawValue, analysis.topics.joined(separator: ", ")))
                    } else {
                        print("#\(result.ticketID) \(result.note ?? "")")
                    }
                }
            }
            fflush(nil)
        }
    }

    struct Reply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a pending reply draft for a ticket (draft.support-reply); a person reviews it, KAM sends nothing.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The ticket's id.") var id: Int64
        @Option(help: "What the reply should say.") var hint: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let draft = try await runtime.attempt { try await runtime.runtime.support.reply(to: id, hint: hint, as: runtime.user) }
            try Terminal.print(draft, json: json)
            fflush(nil)
        }
    }

    struct Insights: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A client's support: tickets in the last 30 days and the 30 before, open and urgent ones, sentiment trend, top topics.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The client (id, name, domain...).") var client: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let (clientID, insights) = try runtime.attempt {
                let found = try runtime.runtime.client(client, as: runtime.user)
                return (found.id, try runtime.runtime.support.insights(clientID: found.id, as: runtime.user))
            }
            if json {
                print(try Terminal.json(insights))
                return
            }
            func mean(_ value: Double?) -> String { value.map { String(format: "%+.2f", $0) } ?? "-" }
            print("Support for \(clientID):")
            print("  tickets: \(insights.last30Days) in the last 30 days, \(insights.previous30Days) in the 30 before")
            print("  open: \(insights.open) (\(insights.openUrgent) high or urgent)")
            print("  sentiment: \(mean(insights.sentimentLast30Days)) now, \(mean(insights.sentimentPrevious30Days)) before"
                + "\(insights.sentimentTrend.map { String(format: " (trend %+.2f)", $0) } ?? ""); "
                + "\(insights.negativeLast30Days) negative in 30 days")
            print("  top topics: "
                + (insights.topTopics.isEmpty ? "-" : insights.topTopics.map { "\($0.topic) (\($0.tickets))" }.joined(separator: ", ")))
            fflush(nil)
        }
    }
}
