import ArgumentParser
import Foundation
import KAMRuntime

/// `kam retention apply`: deletes old drafts and clears old model-call payloads.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Apply the retention policy to drafts and model-call payloads.",
        subcommands: [Apply.self]
    )

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete drafts, clear call payloads and delete read events older than the configured days.",
            discussion: """
                Days come from the flags, else kam.yaml's `retention:` (drafts_days, payload_days, events_days, \
                skipped_rules_days), else 365, 90, 180 and 30. An event is deleted only once every consumer (the rules, \
                the webhooks, the plans) has read it and no webhook delivery of it is pending. The rules log's records \
                of rules that did not match (skipped) go after their own window; executions that fired stay.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(name: .customLong("drafts-days"), help: "Keep drafts this many days.")
        var draftsDays: Int?

        @Option(name: .customLong("payload-days"), help: "Keep stored prompts of model calls this many days.")
        var payloadDays: Int?

        @Option(name: .customLong("events-days"), help: "Keep events every consumer has read this many days.")
        var eventsDays: Int?

        @Option(name: .customLong("skipped-rules-days"), help: "Keep the rules log's records of rules that did not match this many days.")
        var skippedRulesDays: Int?

        @Option(help: "Configuration file (default: $KAM_CONFIG or ./kam.yaml).")
        var config: String?

        func validate() throws {
            guard draftsDays ?? 0 >= 0, payloadDays ?? 0 >= 0, eventsDays ?? 0 >= 0, skippedRulesDays ?? 0 >= 0 else { throw ValidationError("days must be 0 or more") }
        }

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, configurationFile: config)
            let sweep = try runtime.attempt {
                try runtime.runtime.retention.apply(
                    draftsDays: draftsDays, payloadDays: payloadDays, eventsDays: eventsDays, skippedRulesDays: skippedRulesDays,
                    as: runtime.user)
            }
            print(
                "retention: deleted \(sweep.outcome.draftsDeleted) drafts older than \(sweep.policy.draftsDays) days, "
                    + "cleared \(sweep.outcome.payloadsCleared) call payloads older than \(sweep.policy.payloadDays) days, "
                    + "deleted \(sweep.outcome.eventsDeleted) read events older than \(sweep.policy.eventsDays) days, "
                    + "deleted \(sweep.outcome.skippedRulesDeleted) skipped-rule records older than \(sweep.policy.skippedRulesDays) days"
            )
            fflush(nil)
        }
    }
}
