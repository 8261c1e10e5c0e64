import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam campaigns import|list|show|trends`: email campaigns from their tools' reports, their counts and trends.
struct CampaignsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaigns",
        abstract: "Email campaigns imported from Mailchimp or HubSpot: counts, engaged clients, trends.",
        subcommands: [Import.self, List.self, Show.self, Trends.self, Insights.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a campaign report: Mailchimp's campaign report CSV or HubSpot's marketing email export.",
            discussion: """
                One row a recipient; the columns each format reads are in docs/connectors.md. Each recipient is linked \
                to the contact with its email and that contact's client, else to the client of its email's registrable \
                domain (a free-mail address links to nobody). One file is one transaction: a bad row is reported with \
                its line and nothing is stored. Importing a later report of the same campaign replaces its recipients. \
                Managers and admins only.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "The report's format: \(CampaignVendor.allCases.map(\.rawValue).joined(separator: " or ")).") var format: String
        @Argument(help: "The report (.csv).") var file: String
        @Flag(help: "Print the summary as JSON.") var json = false

        func run() async throws {
            guard let vendor = CampaignVendor(rawValue: format.lowercased()) else {
                throw ValidationError("--format must be one of \(CampaignVendor.allCases.map(\.rawValue).joined(separator: ", ")), not '\(format)'")
            }
            let runtime = try await AgentRuntime.open(global)
            let summary = try runtime.attempt { try runtime.runtime.campaigns.importFile(path: file, vendor: vendor, as: runtime.user) }
            if json {
                print(try Terminal.json(summary))
                return
            }
            for campaign in summary.campaigns {
                print("campaign \(campaign.id) \(campaign.outcome): \(campaign.name) (\(campaign.recipients) recipients)")
            }
            print(
                "\(summary.recipients) recipients: \(summary.linkedToContacts) by contact, \(summary.linkedByDomain) by domain, "
                    + "\(summary.unlinked) unlinked (\(summary.freeMail) free mail); \(summary.engagedClients) clients engaged")
            fflush(nil)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every campaign with its counts and rates, newest first.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let campaigns = try runtime.attempt { try runtime.runtime.campaigns.list(as: runtime.user) }
            if json {
                print(try Terminal.json(campaigns))
                return
            }
            print("id    sent        sends  open   click  reply  unsub  name")
            for summary in campaigns {
                let c = summary.counts
                print(
                    "\(String(summary.campaign.id).padding(toLength: 4, withPad: " ", startingAt: 0))  \(Terminal.day(summary.campaign.sentAt))  "
                        + "\(String(c.sends).leftPadded(5))  \(Self.percent(c.openRate))  \(Self.percent(c.clickRate))  "
                        + "\(Self.percent(c.replyRate))  \(Self.percent(c.unsubscribeRate))  \(summary.campaign.name)")
            }
            fflush(nil)
        }

        /// `41.2%`, or `-` without a rate, five characters wide.
        static func percent(_ rate: Double?) -> String {
            (rate.map { String(format: "%.1f%%", $0 * 100) } ?? "-").leftPadded(5)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One campaign: sends, opens, clicks, bounces, unsubscribes, replies and their rates; links; engaged clients.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The campaign's id (kam campaigns list).") var id: Int64
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let report = try runtime.attempt { try runtime.runtime.campaigns.report(id, as: runtime.user) }
            if json {
                print(try Terminal.json(report))
                return
            }
            let c = report.counts
            let campaign = report.campaign
            print("\(campaign.name) (\(campaign.vendor.rawValue), sent \(Terminal.timestamp(campaign.sentAt)))")
            if let subject = campaign.subject { print("subject: \(subject)") }
            if let segment = campaign.segment { print("segment: \(segment)") }
            print("sends \(c.sends), delivered \(c.delivered), bounces \(c.bounces) (\(List.percent(c.bounceRate)))")
            print("opens \(c.opens) (\(List.percent(c.openRate))), clicks \(c.clicks) (\(List.percent(c.clickRate)), \(List.percent(c.clickToOpenRate)) of opens)")
            print("replies \(c.replies) (\(List.percent(c.replyRate))), unsubscribes \(c.unsubscribes) (\(List.percent(c.unsubscribeRate)))")
            if !report.links.isEmpty {
                print("\nlinks")
                for link in report.links { print("  \(String(link.recipients).leftPadded(5))  \(link.url)") }
            }
            print("\nengaged clients           opened  clicked  replied")
            for client in report.engagedClients {
                let name = client.clientName.padding(toLength: 24, withPad: " ", startingAt: 0)
                print("\(name)  \(String(client.opened).leftPadded(6))  \(String(client.clicked).leftPadded(7))  \(String(client.replied).leftPadded(7))"
                    + (client.decisionMakerClicked ? "  decision maker clicked" : ""))
            }
            if report.otherEngaged > 0 { print("and \(report.otherEngaged) engaged recipients of no client you may see") }
            fflush(nil)
        }
    }

    struct Trends: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open and click rates campaign by campaign, oldest first, each against the campaign before.")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Compare each campaign with the previous one of its own segment.") var bySegment = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let trend = try runtime.attempt { try runtime.runtime.campaigns.trend(bySegment: bySegment, as: runtime.user) }
            if json {
                print(try Terminal.json(trend))
                return
            }
            print("sent        sends  open   change  click  change  name")
            for point in trend.points {
                print(
                    "\(Terminal.day(point.sentAt))  \(String(point.sends).leftPadded(5))  \(List.percent(point.openRate))  "
                        + "\(Self.points(point.openRateChange))  \(List.percent(point.clickRate))  \(Self.points(point.clickRateChange))  "
                        + point.name + (point.segment.map { " [\($0)]" } ?? ""))
            }
            let total = trend.total
            print("all: \(total.sends) sends, open \(List.percent(total.openRate)), click \(List.percent(total.clickRate))")
            fflush(nil)
        }

        /// `+4.0pt`, six characters wide.
        static func points(_ change: Double?) -> String {
            (change.map { String(format: "%+.1fpt", $0 * 100) } ?? "-").leftPadded(6)
        }
    }

    struct Insights: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What worked in a campaign, segment by segment (analysis.campaign-insights; a metered model call).",
            discussion: """
                The campaign's recipients are grouped by their client's tier (and `no client`); the prompt compares each \
                segment's open, click and reply rates with the campaign's and with the previous campaign to the same \
                audience. Only counts and rates are sent to the model, never an address or a client's name.
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The campaign's id (kam campaigns list).") var id: Int64
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let insights = try await runtime.attempt { try await runtime.runtime.campaigns.insights(id, as: runtime.user) }.output
            if json {
                print(try Terminal.json(insights))
                return
            }
            print(insights.summary)
            for segment in insights.segments {
                print("  \(segment.segment): \(segment.verdict.rawValue) — \(segment.why)")
            }
            for recommendation in insights.recommendations { print("- \(recommendation)") }
            fflush(nil)
        }
    }
}
