import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam export`: a fine-tuning dataset from approved drafts, anonymized, validated and leak-audited.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export approved drafts as a fine-tuning dataset (openai-chat, preference, bedrock).",
        discussion: """
            Only clients that consented to training use are exported; the others are named in the report. \
            Every text is anonymized with one key (--key-file, else KAM_ANON_KEY, else a random key for this run). \
            Files are written under temporary names and renamed only after validation and the leak audit pass. \
            Exit code 16: the leak audit found a known name, email or phone (nothing was written).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "openai-chat, preference or bedrock.")
    var format: String

    @Option(help: "Output folder (train.jsonl, validation.jsonl, report.json).")
    var out: String

    @Option(help: "Only drafts created on or after this date (YYYY-MM-DD).")
    var since: String?

    @Option(help: "Only drafts of this prompt id.")
    var prompt: String?

    @Option(name: .customLong("min-feedback"), help: "`up`: only drafts with a thumbs-up and no thumbs-down.")
    var minFeedback: String?

    @Option(help: "Share of examples in the training file (e.g. 0.9); the rest go to validation.jsonl.")
    var split: Double?

    @Option(help: "Seed of the train/validation split.")
    var seed: UInt64 = 0

    @Option(help: "Target model: tokenizer, context limit and price (default gpt-4o-mini-2024-07-18).")
    var model: String = "gpt-4o-mini-2024-07-18"

    @Option(name: .customLong("key-file"), help: "File holding the anonymization key (raw bytes, or hex text).")
    var keyFile: String?

    @Option(name: .customLong("mapping-out"), help: "Also write the reversible placeholder mapping to this file (keep it secret).")
    var mappingOut: String?

    @Option(help: "Configuration file, for price overrides (default: $KAM_CONFIG or ./kam.yaml).")
    var config: String?

    func run() async throws {
        guard let exportFormat = ExportFormat(rawValue: format) else {
            throw ValidationError("--format must be one of: \(ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var filters = ExportFilters(promptID: prompt)
        if let since {
            guard let date = DayArgument(argument: since)?.date else { throw ValidationError("--since must be a date like 2025-01-31") }
            filters.since = date
        }
        if let minFeedback {
            guard minFeedback == "up" else { throw ValidationError("--min-feedback takes `up`") }
            filters.minimumFeedbackUp = true
        }
        if let split {
            guard split > 0, split <= 1 else { throw ValidationError("--split must be in (0, 1], e.g. 0.9") }
            filters.split = DatasetSplit(trainFraction: split, seed: seed)
        }
        guard let key = AnonymizationKey.resolve(keyFile: keyFile) else {
            throw ValidationError("cannot read --key-file \(keyFile ?? "")")
        }
        let session: AnonymizationSession
        do {
            session = try AnonymizationSession(key: key.bytes)
        } catch {
            throw ValidationError(error.message)
        }
        if key.isRandom {
            Terminal.printError("kam export: no --key-file or KAM_ANON_KEY; using a random key (key id \(session.keyID))")
        }
        let runtime = try await AgentRuntime.open(global, configurationFile: config)
        // The export is recorded with the acting user, else the login name.
        let user = ActingUser(global.userID ?? ProcessInfo.processInfo.environment["USER"])
        let report = try runtime.attempt {
            do {
                return try runtime.runtime.exports.dataset(
                    ExportService.Request(format: exportFormat, outputDirectory: out, filters: filters, model: model),
                    session: session, as: user)
            } catch let error as ExportError {
                Terminal.printError("kam export: \(error.description)")
                throw ExitCodes.failure.exit
            }
        }
        print(report.summary)
        if report.committed, let mappingOut {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(session.mapping()).write(to: URL(fileURLWithPath: mappingOut))
            print("wrote the reversible mapping to \(mappingOut) (\(session.count) values): keep it apart from the dataset")
        }
        fflush(nil)
        if !report.committed { throw ExitCodes.leakAuditFailed.exit }
    }
}
