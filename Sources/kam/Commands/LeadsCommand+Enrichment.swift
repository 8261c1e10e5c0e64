import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam leads enrich|proposals|accept|reject`: lead enrichment's proposals, each applied only when a person accepts it.
extension LeadsCommand {
    struct Enrich: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Propose a lead's industry, size band, needs, decision makers and ICP fit from what KAM holds about it.",
            discussion: """
                analysis.lead-enrichment reads the lead's contacts, remembered facts, activities and mail and its \
                domain (nothing from the web) against kam.yaml's `icp:`. Each proposal is kept pending with its source \
                and confidence; nothing changes on the lead until you accept it (`kam leads accept CLIENT FIELD`).
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Client id, name, external id, contact email or domain.") var client: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let target = try runtime.attempt { try runtime.client(client) }
            let enrichment = try await runtime.attempt {
                try await runtime.runtime.leads.enrich(clientID: target.id, as: runtime.user)
            }
            if json {
                print(try Terminal.json(enrichment))
            } else {
                print("\(enrichment.client): \(enrichment.proposals.count) proposals by \(enrichment.prompt) (\(enrichment.model))")
                LeadsCommand.printProposals(enrichment.proposals)
                print("accept one with `kam leads accept \(enrichment.client) FIELD`, or reject it")
            }
            fflush(nil)
        }
    }

    struct Proposals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A lead's pending enrichment proposals (all with --all).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Client id, name, external id, contact email or domain.") var client: String
        @Flag(help: "Also the decided and superseded ones.") var all = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let proposals = try runtime.attempt {
                try runtime.runtime.leads.proposals(clientID: try runtime.client(client).id, all: all, as: runtime.user)
            }
            if json {
                print(try Terminal.json(proposals))
            } else if proposals.isEmpty {
                print("No proposals. `kam leads enrich \(client)` makes some.")
            } else {
                LeadsCommand.printProposals(proposals)
            }
            fflush(nil)
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply a lead's pending proposal of FIELD: industry, size-band, needs, decision-makers, icp-fit.")

        @OptionGroup var decision: DecisionArguments

        func run() async throws { try await decision.decide(accept: true) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject a lead's pending proposal of FIELD; nothing of it reaches the lead.")

        @OptionGroup var decision: DecisionArguments

        func run() async throws { try await decision.decide(accept: false) }
    }

    /// What `accept` and `reject` take: the lead and the field.
    struct DecisionArguments: ParsableArguments {
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Client id, name, external id, contact email or domain.") var client: String
        @Argument(help: "The field: industry, size-band, needs, decision-makers, icp-fit.") var field: LeadProposal.Field
        @Flag(help: "Print JSON.") var json = false

        func decide(accept: Bool) async throws {
            try await LeadsCommand.decide(global, client, field, accept: accept, json: json)
        }
    }

    static func decide(_ global: GlobalOptions, _ client: String, _ field: LeadProposal.Field, accept: Bool, json: Bool)
        async throws
    {
        let runtime = try await AgentRuntime.open(global)
        let decision = try runtime.attempt {
            try runtime.runtime.leads.decide(clientID: try runtime.client(client).id, field: field, accept: accept, as: runtime.user)
        }
        if json {
            print(try Terminal.json(decision))
        } else {
            print("\(decision.proposal.status.rawValue) \(field.rawValue): \(describe(decision.proposal.value))")
            if accept { print(render(decision.lead)) }
        }
        fflush(nil)
    }

    /// One line a proposal: field, value, confidence, source, status.
    static func printProposals(_ proposals: [LeadProposal]) {
        for p in proposals {
            let confidence = String(format: "%.2f", p.confidence)
            print("  \(p.field.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)) \(describe(p.value))  "
                + "[\(confidence), from \(p.source)]" + (p.status == .pending ? "" : " \(p.status.rawValue)"))
        }
    }

    static func describe(_ value: LeadProposal.Value) -> String {
        var parts: [String] = []
        if let score = value.score { parts.append("fit \(score)") }
        if let text = value.text { parts.append(text) }
        if let people = value.people { parts.append(people.map { $0.name + ($0.title.map { " (\($0))" } ?? "") }.joined(separator: "; ")) }
        if let items = value.items { parts.append(items.joined(separator: "; ")) }
        return parts.joined(separator: ": ")
    }
}

extension LeadProposal.Field: ExpressibleByArgument {}
