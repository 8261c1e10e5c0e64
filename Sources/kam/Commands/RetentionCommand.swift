import ArgumentParser
import Foundation
import KAMCore
import KAMStore

/// `kam retention apply`: deletes old drafts and clears old model-call payloads.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Apply the retention policy to drafts and model-call payloads.",
        subcommands: [Apply.self]
    )

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete drafts and clear call payloads older than the configured days.",
            discussion: "Days come from the flags, else kam.yaml's `retention:` (drafts_days, payload_days), else 365 and 90.")

        @OptionGroup var global: GlobalOptions

        @Option(name: .customLong("drafts-days"), help: "Keep drafts this many days.")
        var draftsDays: Int?

        @Option(name: .customLong("payload-days"), help: "Keep stored prompts of model calls this many days.")
        var payloadDays: Int?

        @Option(help: "Configuration file (default: $KAM_CONFIG or ./kam.yaml).")
        var config: String?

        func run() async throws {
            let file = config ?? ProcessInfo.processInfo.environment["KAM_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? "kam.yaml"
            var settings = RetentionSettings()
            if let data = FileManager.default.contents(atPath: file) {
                do {
                    settings = try RetentionSettings.parse(yaml: String(decoding: data, as: UTF8.self), file: file)
                } catch let error as ExportError {
                    StoreOpening.printError("kam: \(error.description)")
                    throw ExitCode(ConfigOptions.configurationInvalid)
                }
            }
            let policy = RetentionPolicy(
                draftsDays: draftsDays ?? settings.draftsDays ?? 365, payloadDays: payloadDays ?? settings.payloadDays ?? 90)
            guard policy.draftsDays >= 0, policy.payloadDays >= 0 else { throw ValidationError("days must be 0 or more") }
            let store = try StoreOpening.open(global)
            let outcome: RetentionPolicy.Outcome
            do {
                outcome = try policy.apply(to: store, now: Date())
            } catch {
                throw StoreOpening.fail(error)
            }
            print("retention: deleted \(outcome.draftsDeleted) drafts older than \(policy.draftsDays) days, "
                + "cleared \(outcome.payloadsCleared) call payloads older than \(policy.payloadDays) days")
            fflush(nil)
        }
    }
}
