import Foundation
import GRDB
import KAMCore
import KAMResources

/// Exports approved drafts as a fine-tuning dataset from any store (`TrainingExportSource`: `ClientStore`, or
/// `PostgresTrainingExportSource`): reads them with a cursor (never all at once),
/// leaves out clients without training consent, rebuilds and anonymizes each example with one
/// dataset-wide session, validates it, audits it for known names, and writes it line by line under a
/// temporary name; only when every check passed are the files fsynced and renamed to their final
/// names. Every run, committed or not, is recorded in the `exports` table.
public struct TrainingExporter: Sendable {
    /// What to export and where.
    public struct Options: Sendable {
        public var format: ExportFormat
        public var outputDirectory: String
        public var filters: ExportFilters
        /// The target model: its tokenizer, context limit and price.
        public var model: String
        public var userID: String?
        /// Match the store's clients, contacts and users on top of the general detectors; turning it
        /// off is for testing the leak audit, which always searches for them.
        public var useKnownEntities: Bool
        /// Hits listed in the report at most (all lines are still scanned).
        public var maximumReportedHits: Int

        public init(
            format: ExportFormat, outputDirectory: String, filters: ExportFilters = .init(),
            model: String = "gpt-4o-mini-2024-07-18", userID: String? = nil, useKnownEntities: Bool = true,
            maximumReportedHits: Int = 100
        ) {
            self.format = format
            self.outputDirectory = outputDirectory
            self.filters = filters
            self.model = model
            self.userID = userID
            self.useKnownEntities = useKnownEntities
            self.maximumReportedHits = maximumReportedHits
        }
    }

    public let source: any TrainingExportSource
    public let prices: PriceTable

    public init(source: any TrainingExportSource, prices: PriceTable) {
        self.source = source
        self.prices = prices
    }

    public init(store: ClientStore, prices: PriceTable) {
        self.init(source: store, prices: prices)
    }

    /// Runs one export. A failed leak audit is an outcome (`report.committed == false`), not a throw.
    ///
    /// - Throws: ``ExportError`` when the folder cannot be written or the store read.
    public func run(_ options: Options, session: AnonymizationSession) throws -> ExportReport {
        let directory = URL(fileURLWithPath: options.outputDirectory, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ExportError(.cannotWrite, "cannot create the output folder \(directory.path)", underlying: error)
        }
        let everyone = try source.exportDirectory()
        let (clients, contacts, users) = (everyone.clients, everyone.contacts, everyone.users)
        let known = options.useKnownEntities ? KnownEntities(clients: clients, contacts: contacts, users: users) : KnownEntities()
        let anonymizer: Anonymizer
        do {
            anonymizer = try Anonymizer(known: known)
        } catch {
            throw ExportError(.invalidArgument, "cannot load the anonymizer's word lists", underlying: error)
        }
        let auditor = LeakAuditor(clients: clients, contacts: contacts, users: users)
        let counter: any TokenCounting
        let tokenizerName: String
        if let exact = try? Tokenizer(model: options.model) {
            counter = exact
            tokenizerName = exact.encoding.rawValue
        } else {
            do {
                counter = try Tokenizer(encoding: .o200kBase)
            } catch {
                throw ExportError(.invalidArgument, "cannot load the o200k_base tokenizer", underlying: error)
            }
            tokenizerName = "o200k_base (estimate: no exact tokenizer for \(options.model))"
        }
        let price = prices.price(for: options.model)
        let limit = price?.contextWindow ?? 65_536
        var report = ExportReport(
            format: options.format, model: options.model, tokenizer: tokenizerName, tokenLimit: limit,
            filters: options.filters, keyID: session.keyID)
        let builder = TrainingExampleBuilder(format: options.format, anonymizer: anonymizer, session: session)
        let validator = FineTuningValidator(format: options.format, tokenizer: counter, tokenLimit: limit)
        let consenting = Dictionary(uniqueKeysWithValues: clients.map { ($0.id, $0) })
        var excluded: [String: Int] = [:]

        let train = try ExportFileWriter(directory: directory, finalName: "train.jsonl")
        var validation: ExportFileWriter?
        do {
            if options.filters.split.hasValidation {
                validation = try ExportFileWriter(directory: directory, finalName: "validation.jsonl")
            }
        } catch {
            train.discard()
            throw error
        }
        var tokenCounts: [Int] = []
        var trainTokens = 0
        var hitCount = 0
        do {
            try source.approvedDrafts(options.filters) { row in
                report.draftsRead += 1
                let draftID = row.id
                let clientID = row.clientID
                guard let client = consenting[clientID], client.consentTraining else {
                    excluded[clientID, default: 0] += 1
                    return
                }
                if options.filters.minimumFeedbackUp, row.ups == 0 || row.downs > 0 {
                    report.belowFeedback += 1
                    return
                }
                let draft: Draft
                do {
                    draft = try DocumentCoding.decode(Draft.self, from: row.document)
                } catch {
                    report.reject(
                        .init(draftID: draftID, clientID: clientID, reasons: ["unreadable draft document: \(error)"]),
                        codes: [ExportError.Code.unreadableDraft.rawValue])
                    return
                }
                let line: JSONValue
                switch builder.build(draft) {
                case .example(let value): line = value
                case .notApplicable:
                    report.notApplicable += 1
                    return
                case .rejected(let reason):
                    report.reject(
                        .init(draftID: draftID, clientID: clientID, reasons: [reason]), codes: ["export.unusable-prompt-messages"])
                    return
                }
                let check = validator.check(line)
                guard check.isValid else {
                    report.reject(
                        .init(draftID: draftID, clientID: clientID, reasons: check.issues.map { "\($0.code): \($0.message)" }),
                        codes: check.issues.map(\.code))
                    return
                }
                let text = line.compactJSONText
                let isTraining = options.filters.split.isTraining(draftID)
                let writer = isTraining ? train : (validation ?? train)
                let hits = auditor.scan(text, file: writer.finalName, lineNumber: writer.lines + 1)
                report.leakAudit.linesScanned += 1
                if !hits.isEmpty {
                    hitCount += hits.count
                    let room = options.maximumReportedHits - report.leakAudit.hits.count
                    if room > 0 { report.leakAudit.hits += hits.prefix(room) }
                }
                try writer.write(line: text)
                tokenCounts.append(check.tokens)
                if writer === train { trainTokens += check.tokens; report.trainExamples += 1 } else { report.validationExamples += 1 }
                report.examplesWritten += 1
            }
        } catch {
            train.discard()
            validation?.discard()
            if let error = error as? ExportError { throw error }
            throw ExportError(.unreadableDraft, "cannot read the drafts from \(source.place)", underlying: error)
        }
        report.tokens = TokenStatistics(counts: tokenCounts)
        tokenCounts = []
        report.consentExcluded = excluded.map { id, count in
            ExportReport.ConsentExclusion(clientID: id, clientName: consenting[id]?.name ?? "(deleted client)", drafts: count)
        }.sorted { $0.clientID < $1.clientID }
        if let price {
            report.estimatedCostPerEpochUSD = Double(trainTokens) * price.input.dollars
            report.costBasis = "\(trainTokens) training tokens × the input price of \(options.model) "
                + "($\(price.input.dollarsPerMillionTokens)/M); the price table has no training price, so the input price stands in"
        } else {
            report.costBasis = "\(options.model) is not in the price table"
        }
        report.leakAudit.needles = auditor.needleCount
        report.leakAudit.passed = hitCount == 0
        if report.leakAudit.passed {
            report.files.append(try train.commit())
            if let validation { report.files.append(try validation.commit()) }
            report.committed = true
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            try ExportFileWriter.writeAtomically(try encoder.encode(report), to: directory.appendingPathComponent("report.json"))
            ExportFileWriter.syncDirectory(directory)
        } else {
            train.discard()
            validation?.discard()
        }
        try record(report, options: options, directory: directory)
        return report
    }

    private func record(_ report: ExportReport, options: Options, directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let filters = String(decoding: try encoder.encode(report.filters), as: UTF8.self)
        let files = String(decoding: try encoder.encode(report.files), as: UTF8.self)
        try source.record(
            ExportRun(
                id: UUID().uuidString.lowercased(), createdAt: source.now(), userID: options.userID,
                format: report.format.rawValue, model: report.model,
                status: report.committed ? "committed" : "failed-leak-audit", filters: filters,
                examples: report.examplesWritten, rejected: report.rejectedCount,
                consentExcluded: report.consentExcluded.reduce(0) { $0 + $1.drafts }, files: files, keyID: report.keyID,
                outputDirectory: directory.path))
    }
}
