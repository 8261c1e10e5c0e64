import Foundation
import KAMCore
import KAMResources
import KAMStore

/// The fine-tuning dataset (`kam export`): approved drafts of the clients that consented to training,
/// anonymized with one key, validated, and written only when the leak audit finds no known name,
/// email or phone in any line.
///
/// For example:
/// ```swift
/// let session = try AnonymizationSession(key: key)
/// let report = try runtime.exports.dataset(
///     ExportService.Request(format: .openAIChat, outputDirectory: "out"), session: session, as: ActingUser("maria"))
/// report.committed   // false: the leak audit stopped it, and nothing was written
/// ```
public struct ExportService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// What to export and where.
    public struct Request: Sendable {
        public var format: ExportFormat
        /// The folder that receives `train.jsonl`, `validation.jsonl` and `report.json`.
        public var outputDirectory: String
        public var filters: ExportFilters
        /// The target model: its tokenizer, context limit and price.
        public var model: String
        /// Replace the store's client, contact and user names on top of the general detectors. Only a test
        /// of the leak audit turns it off: the audit always searches for those names.
        public var anonymizeKnownNames: Bool

        public init(
            format: ExportFormat, outputDirectory: String, filters: ExportFilters = ExportFilters(),
            model: String = "gpt-4o-mini-2024-07-18", anonymizeKnownNames: Bool = true
        ) {
            self.format = format
            self.outputDirectory = outputDirectory
            self.filters = filters
            self.model = model
            self.anonymizeKnownNames = anonymizeKnownNames
        }
    }

    /// Exports the approved drafts `request` selects, anonymized through `session` (whose mapping the caller
    /// may keep apart from the dataset). The run is recorded in the `exports` table with the acting user.
    ///
    /// A failed leak audit is an outcome, not a throw: `report.committed` is false and no file was written.
    ///
    /// - Throws: `ConfigurationError` for an unusable price table; `ExportError` when the folder cannot be
    ///   written or the store read.
    public func dataset(_ request: Request, session: AnonymizationSession, as user: ActingUser) throws -> ExportReport {
        let exporter = TrainingExporter(source: runtime.trainingExportSource, prices: try runtime.configuration.priceTable())
        return try exporter.run(
            TrainingExporter.Options(
                format: request.format, outputDirectory: request.outputDirectory, filters: request.filters,
                model: request.model, userID: user.id, useKnownEntities: request.anonymizeKnownNames),
            session: session)
    }

    /// The `weekly-export` job's run for the slot `slot`: the drafts approved in the 7 days before it, exported in
    /// kam.yaml's `exports.format` into `exports.weekly_folder/<ISO week of the slot>/` with the key of
    /// `exports.key_file` (else `KAM_ANON_KEY`), recorded in the `exports` table like any export. Nil when no
    /// weekly folder is configured.
    /// - Throws: `RuntimeError` `export.no-key` without a key (a random key would link no week's placeholders to
    ///   another's), `export.key-unreadable` for a key file that cannot be read, `export.leak-detected` when the
    ///   leak audit stopped the export (nothing was written); `ExportError` when the folder cannot be written.
    public func weekly(slot: Date) throws -> ExportReport? {
        let configuration = runtime.configuration
        guard let folder = configuration.resolvedWeeklyExportFolder() else { return nil }
        let keyFile = configuration.resolvedExportKeyFile()
        guard let key = AnonymizationKey.resolve(keyFile: keyFile, environment: runtime.options.environment) else {
            throw RuntimeError(
                .invalidInput, code: "export.key-unreadable",
                "cannot read exports.key_file \(keyFile ?? "") for the weekly export; fix the path in kam.yaml")
        }
        guard !key.isRandom else {
            throw RuntimeError(
                .invalidInput, code: "export.no-key",
                "the weekly export needs an anonymization key so its placeholders match other weeks': set exports.key_file "
                    + "in kam.yaml or KAM_ANON_KEY")
        }
        let name = ISOWeek.name(of: slot, in: configuration.jobs.timeZone)
        let report = try dataset(
            Request(
                format: configuration.exports.format,
                outputDirectory: URL(fileURLWithPath: folder).appendingPathComponent(name).path,
                filters: ExportFilters(since: slot.addingTimeInterval(-7 * 86_400))),
            session: try AnonymizationSession(key: key.bytes), as: .anonymous)
        guard report.committed else {
            throw RuntimeError(
                .gateFailed, code: "export.leak-detected",
                "the weekly export's leak audit found \(report.leakAudit.hits.count) known name(s), email(s) or phone(s) "
                    + "in the anonymized lines, so nothing was written; see the exports table (kam export --help)")
        }
        return report
    }
}
