import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam leads create|update`: a lead by hand (a new prospect client), its source, value and status; then the client
/// is re-scored.
extension LeadsCommand {
    /// The lead's own fields `create` and `update` take.
    struct DetailOptions: ParsableArguments {
        @Option(help: "Where it came from: \(LeadSource.allCases.map(\.rawValue).joined(separator: ", ")).")
        var source: LeadSource?
        @Option(help: "Free text beside the source (the fair, the referrer; up to 200 characters).") var sourceDetail: String?
        @Option(help: "Expected value, 0 or more (a negative one as --value=-5 is refused).") var value: Double?
        @Option(help: "Currency of the value, ISO 4217 (default: the value's, else the client's; USD for a new lead).")
        var currency: String?
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a lead: a new prospect client with its source, expected value and owner.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The company's name.") var name: String
        @Option(help: "The client id (default: a slug of the name).") var id: String?
        @Option(help: "Owning account manager: a user id or email.") var owner: String?
        @Option(help: "Industry.") var industry: String?
        @Option(help: "Email domain of the company's people (acme.example).") var domain: String?
        @Option(help: "Lead status (default new).") var status: LeadStatus?
        @OptionGroup var details: DetailOptions
        @Flag(help: "Print the lead and what it changed as JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let entry = LeadService.Entry(
                name: name, id: id, owner: owner, industry: industry, domain: domain, status: status,
                source: details.source, sourceDetail: details.sourceDetail, value: details.value, currency: details.currency)
            let write = try runtime.attempt { try runtime.runtime.leads.create(entry, as: runtime.user) }
            try RefreshReport.print("created " + LeadsCommand.render(write.lead), write.refresh, json: json ? write : nil)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a lead's source, value or status; a new status is kept as a transition, then the client is re-scored.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Client id, name, external id, contact email or domain.") var client: String
        @OptionGroup var details: DetailOptions
        @Option(help: "Move to this status (kept as a transition, with --reason).") var status: LeadStatus?
        @Option(help: "Why the status changed.") var reason: String?
        @Option(help: ArgumentHelp("Empty a field: source, source-detail, value (repeatable).", valueName: "field"))
        var clear: [LeadService.Field] = []
        @Flag(help: "Print the lead and what it changed as JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let fields = LeadService.Fields(
                source: details.source, sourceDetail: details.sourceDetail, value: details.value,
                currency: details.currency, status: status, reason: reason, clearing: Set(clear))
            let write = try runtime.attempt {
                try runtime.runtime.leads.update(try runtime.client(client).id, fields, as: runtime.user)
            }
            try RefreshReport.print(
                "updated " + LeadsCommand.render(write.lead), write.refresh, leadMove: write.leadTransition,
                json: json ? write : nil)
        }
    }
}
