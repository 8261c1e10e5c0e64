import Foundation
import KAMCore
import KAMStore

/// Inbound email: ingest `.eml` files, mbox files and workbench CSV exports (parse, match to a client,
/// analyse with the client's consent, store the email, an activity, tasks and a pending acknowledgment
/// draft), and read back what was stored.
///
/// The workflow is the core's `EmailIntake`; this service gives it the runtime's store, prompts,
/// runners, tokenizer, ids and clock. A message that cannot be parsed is never dropped: it is stored
/// as `failed` intake with its raw bytes, and the other messages are stored all the same.
///
/// For example:
/// ```swift
/// let report = try await runtime.email.ingest(.file("inbox.mbox"), as: ActingUser("maria"))
/// print(report.count(.failed))
/// ```
public struct EmailService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// Where the messages of an intake come from.
    public enum Source: Sendable {
        /// An `.eml` message or an mbox file, as bytes (standard input, an upload).
        case bytes([UInt8])
        /// An `.eml` or mbox file.
        case file(String)
        /// A workbench CSV export (`email_id, inbox/outbox, sender/recipient, subject, sent_datetime, body`);
        /// its mailbox is the acting user's.
        case workbench(file: String)
    }

    /// What an intake stored, one result a message in input order.
    public struct IngestReport: Codable, Sendable, Hashable {
        public var results: [EmailIngestResult]

        /// How many messages ended in `status`.
        public func count(_ status: EmailIntakeStatus) -> Int {
            results.count(where: { $0.status == status.rawValue })
        }
    }

    /// Where the workbench email export lives on the project machines.
    public static let defaultWorkbenchFile = "/work/shared/data/crm/workbench-emails.csv"

    /// Where the emails are read back from.
    private var repository: any InboundEmailStoring { runtime.inboundEmails }

    /// The messages of `source`: one per mbox message or CSV row, a row that cannot be read as a
    /// malformed item (stored as failed intake).
    ///
    /// - Throws: `RuntimeError` `email.file-unreadable` (`.notFound`), `email.csv-invalid` (the CSV
    ///   cannot be read at all) or `email.workbench-columns` (a column is missing).
    public func items(_ source: Source, as user: ActingUser) throws -> [EmailIntakeItem] {
        switch source {
        case .bytes(let bytes):
            return EmailIntakeItem.items(fromFile: bytes)
        case .file(let path):
            return EmailIntakeItem.items(fromFile: try Self.read(path))
        case .workbench(let path):
            let text = String(decoding: try Self.read(path), as: UTF8.self)
            let records: [CSVReader.Record]
            do {
                records = try CSVReader().records(text)
            } catch {
                throw RuntimeError(.fileRefused, code: "email.csv-invalid", "\(path):\(error.line): \(error.message)")
            }
            let mailbox = try user.id.flatMap { id in
                try runtime.clientMemory.user(id: id).map { EmailAddress(name: $0.name, address: $0.email) }
            }
            do {
                return try EmailIntake.workbenchItems(
                    records: records.map { ($0.line, $0.fields) }, file: path, mailbox: mailbox)
            } catch {
                throw RuntimeError(.fileRefused, code: error.code, error.description)
            }
        }
    }

    /// Ingests every message of `source` (at most `limit`), handing each result to `onResult` as it is stored.
    ///
    /// - Parameter analyse: false stores and matches only: no analysis, no draft, no model calls.
    /// - Throws: what `items(_:as:)` throws; `PromptError` for a broken prompt; the store failing.
    ///   A model that fails or a refused budget is a note on the result, not a throw.
    @discardableResult
    public func ingest(
        _ source: Source, analyse: Bool = true, limit: Int? = nil, as user: ActingUser,
        onResult: (EmailIngestResult) -> Void = { _ in }
    ) async throws -> IngestReport {
        let items = try self.items(source, as: user)
        let intake = try intake(analyse: analyse, as: user)
        var report = IngestReport(results: [])
        for item in items.prefix(limit ?? Int.max) {
            let result = EmailIngestResult(try await intake.ingest(item))
            report.results.append(result)
            onResult(result)
        }
        return report
    }

    /// The core's intake workflow over this runtime.
    func intake(analyse: Bool, as user: ActingUser) throws -> EmailIntake {
        var analysis: EmailIntake.Step?
        var acknowledgment: EmailIntake.Step?
        if analyse {
            analysis = try step("analysis.inbound-email")
            acknowledgment = try step(DraftKind.acknowledgment.promptID)
        }
        // The email and its records in the inbound email store, the lead move in the leads' store: both the runtime's.
        return EmailIntake(
            store: EmailIntakeStores(emails: runtime.inboundEmails, leads: runtime.healthStore), memory: runtime.clientMemory,
            tokenCounter: try runtime.tokenizer(), analysis: analysis,
            acknowledgment: acknowledgment, attribution: try runtime.attribution(user, clientID: nil),
            configuration: EmailIntake.Configuration(supportAddresses: runtime.configuration.support.addresses),
            now: runtime.now, makeDraftID: { [ids = runtime.ids] in ids.make(.draft) })
    }

    /// The prompt `reference` with the runner of its route (also what reads a support ticket).
    func step(_ reference: String) throws -> EmailIntake.Step {
        let template = try runtime.template(reference)
        let routed = try runtime.runners.runner(forPrompt: template.id)
        return EmailIntake.Step(runner: routed.runner, template: template, options: PromptRunner.Options(route: routed.route))
    }

    /// Ingested email, newest first.
    public func list(clientID: String? = nil, status: EmailIntakeStatus? = nil, limit: Int = 50) throws
        -> [EmailIntakeEntry]
    {
        try repository.list(clientID: clientID, status: status, limit: limit)
    }

    /// The ingested email with this row id or Message-ID.
    /// - Throws: `RuntimeError` `email.not-found`.
    public func entry(_ idOrMessageID: String) throws -> EmailIntakeEntry {
        guard let entry = try repository.entry(idOrMessageID) else {
            throw RuntimeError(
                .notFound, code: "email.not-found",
                "no ingested email has id or Message-ID '\(idOrMessageID)'; `kam email list` shows them")
        }
        return entry
    }

    /// The message's bytes as received (empty when none were kept).
    public func raw(_ idOrMessageID: String) throws -> [UInt8] {
        try repository.raw(id: try entry(idOrMessageID).id) ?? []
    }

    /// The bytes of `path`.
    /// - Throws: `RuntimeError` `email.file-unreadable`.
    private static func read(_ path: String) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw RuntimeError(.notFound, code: "email.file-unreadable", "cannot read \(path): \(error.localizedDescription)")
        }
    }
}
