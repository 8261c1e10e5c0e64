import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam clients add|update`: a client by hand, then its health, lead moves and suggestions re-run.
extension ClientsCommand {
    /// The client fields `add` and `update` take.
    struct FieldOptions: ParsableArguments {
        @Option(help: "Industry (manufacturing, logistics, ...).") var industry: String?
        @Option(help: "Subscription tier.") var tier: SubscriptionTier?
        @Option(help: "Email domain of the client's people (acme.example), to match inbound mail.") var domain: String?
        @Option(help: "Owning account manager: a user id or email.") var owner: String?
        @Option(help: "Where the client stands.") var lifecycle: LifecycleStatus?
        @Option(help: "Lead status (kept as a transition, with --reason).") var leadStatus: LeadStatus?
        @Option(help: "Monthly budget, in the client's currency.") var monthlyBudget: Double?
        @Option(help: "Currency, ISO 4217 (USD, EUR).") var currency: String?
        @Option(help: "Consent to AI analysis.") var aiConsent: YesNo?
        @Option(help: "Consent to training on the client's data.") var trainingConsent: YesNo?
        @Option(help: "When the contract renews: YYYY-MM-DD (renewal-risk suggestions look ahead to it).")
        var renewalDate: DayArgument?

        func fields(name: String?, clearing: [ClientService.Field] = []) -> ClientService.Fields {
            ClientService.Fields(
                name: name, industry: industry, tier: tier, domain: domain, owner: owner, lifecycle: lifecycle,
                leadStatus: leadStatus, monthlyBudget: monthlyBudget, currency: currency,
                consentAIAnalysis: aiConsent?.bool, consentTraining: trainingConsent?.bool,
                renewalDate: renewalDate?.date, clearing: Set(clearing))
        }
    }

    /// The first line of `add` and `update`: the client and its profile.
    static func summary(_ verb: String, _ client: Client) -> String {
        var profile = ["tier \(client.tier.rawValue)", client.lifecycle.rawValue, "lead \(client.leadStatus.rawValue)"]
        if let owner = client.ownerID { profile.append("owner \(owner)") }
        if let renewal = client.renewalDate { profile.append("renews \(Terminal.day(renewal))") }
        return "\(verb) \(client.id) (\(client.name)): " + profile.joined(separator: " · ")
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a client by hand; its health and suggestions are computed at once.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The client's name.") var name: String
        @Option(help: "The client id (default: a slug of the name, e.g. nakatomi-trading).") var id: String?
        @OptionGroup var fields: FieldOptions
        @Flag(help: "Print the stored client and what it changed as JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let write = try runtime.attempt {
                try runtime.runtime.clients.add(id: id, fields.fields(name: name), as: runtime.user)
            }
            try RefreshReport.print(
                ClientsCommand.summary("added", write.client), write.refresh, json: json ? write : nil)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a client's fields; a new lead status is kept as a transition, then the client is re-scored.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Client id, name, external id, contact email or domain.") var client: String
        @Option(help: "A new name.") var name: String?
        @OptionGroup var fields: FieldOptions
        @Option(
            help: ArgumentHelp(
                "Empty a field: industry, domain, owner, monthly-budget, renewal-date (repeatable).", valueName: "field"))
        var clear: [ClientService.Field] = []
        @Option(help: "Why the lead status changed (kept with the transition).") var reason: String?
        @Flag(help: "Print the stored client and what it changed as JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let write = try runtime.attempt {
                let target = try runtime.client(client)
                return try runtime.runtime.clients.update(
                    target.id, fields.fields(name: name, clearing: clear), reason: reason, as: runtime.user)
            }
            try RefreshReport.print(
                ClientsCommand.summary("updated", write.client), write.refresh, leadMove: write.leadTransition,
                json: json ? write : nil)
        }
    }
}

extension SubscriptionTier: ExpressibleByArgument {}
extension LifecycleStatus: ExpressibleByArgument {}
extension ClientService.Field: ExpressibleByArgument {}
