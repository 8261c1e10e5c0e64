import Foundation
import KAMCore

/// Imports clients and everything about them from a JSON document or a CSV file.
///
/// One file is one transaction: the whole file is parsed and checked first, then written; any
/// error rolls everything back, so a bad row never leaves half a file behind. The write lock is
/// held only for the writes, with a note saying which import holds it (`ClientStore+Busy.swift`).
/// The checks are here, the writes go through the target's `ImportSink`: SQLite (`ClientStore`) or
/// PostgreSQL (`PostgresImportTarget`, under an advisory lock), the same logic for both.
/// Records are matched by external id, so importing the same file twice updates rather than
/// duplicates. A CSV file is read twice, a piece at a time (checked, then written row by row), so
/// memory stays below the file's size and the time linear in its rows, however they spread over clients.
public struct ClientImporter: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case json, csv
    }

    /// The store the import writes into.
    public var target: any ImportTarget
    /// Makes each CSV import's id, which its events carry.
    public var ids: IDMaker
    /// How many of a CSV file's records are held to be written together (`CSVPendingRecords`); tests vary it.
    var batchCapacity = CSVPendingRecords.defaultCapacity

    /// An importer into `target` (a `ClientStore`, a `PostgresImportTarget`).
    public init(target: any ImportTarget, ids: IDMaker = IDMaker()) {
        self.target = target
        self.ids = ids
    }

    /// An importer into the SQLite file `store`.
    public init(store: ClientStore, ids: IDMaker = IDMaker()) {
        self.init(target: store, ids: ids)
    }

    /// Imports a file; the format comes from the extension unless given.
    ///
    /// - Parameters:
    ///   - mapping: for CSV, the column mapping (`CSVMapping.workbench` or a loaded file).
    ///   - encoding: the file's character encoding; bytes that are not text in it are refused.
    /// - Throws: `ImportError` for unreadable or invalid files (nothing stored), `StoreError` for
    ///   database failures (`.busy` when another process kept the write lock too long).
    public func importFile(
        at path: String, format: Format? = nil, mapping: CSVMapping? = nil, encoding: ImportEncoding = .utf8
    ) throws -> ImportSummary {
        let file = (path as NSString).lastPathComponent
        let unreadable = ImportError(.unreadable, issues: [.init(file: path, message: "cannot read the file; check the path")])
        let resolved = format ?? (path.lowercased().hasSuffix(".csv") ? .csv : .json)
        switch resolved {
        case .json:
            guard let data = FileManager.default.contents(atPath: path) else { throw unreadable }
            return try importJSON(data, file: file, encoding: encoding)
        case .csv:
            guard let mapping else {
                throw ImportError(
                    .invalidMapping,
                    issues: [.init(file: file, message: "a CSV import needs a column mapping: --map workbench or --map FILE.yaml")])
            }
            // Each pass reads the file again, a piece at a time: the import holds a piece of it, not all of it.
            var status = stat()
            guard stat(path, &status) == 0 else { throw unreadable }
            guard (status.st_mode & S_IFMT) == S_IFREG else {
                // A pipe, say: it can be read only once, so it is held.
                guard let data = FileManager.default.contents(atPath: path) else { throw unreadable }
                return try importCSV(bytes: try encoding.utf8Bytes(data, file: file), file: file, mapping: mapping)
            }
            return try importCSV(source: .file(path: path, encoding: encoding), file: file, mapping: mapping)
        }
    }

    /// Imports a JSON document in the format of `docs/import-format.md`.
    public func importJSON(_ data: Data, file: String = "import.json", encoding: ImportEncoding = .utf8) throws -> ImportSummary {
        try importDocument(try ImportDocument.decode(data, file: file, encoding: encoding), file: file)
    }

    /// Imports CSV text through a column mapping.
    public func importCSV(_ text: String, file: String = "import.csv", mapping: CSVMapping) throws -> ImportSummary {
        try importCSV(bytes: Array(text.utf8), file: file, mapping: mapping)
    }

    /// Imports the UTF-8 bytes of a CSV file through a column mapping: every row is read and checked
    /// before the write transaction begins; inside it the file is read again and written row by row.
    public func importCSV(bytes: [UInt8], file: String = "import.csv", mapping: CSVMapping) throws -> ImportSummary {
        try importCSV(source: .bytes(bytes), file: file, mapping: mapping)
    }

    private func importCSV(source: CSVSource, file: String, mapping: CSVMapping) throws -> ImportSummary {
        try mapping.validate(file: file)
        let (plan, reader) = try CSVImportPlan.make(
            source: source, mapping: mapping, file: file, domains: try CompanyDomains.bundled())
        let now = target.now()
        let importID = ids.make(.fileImport)
        return try write(file: file, operation: "kam import \(file) (\(plan.rowCount) rows)", rowsComing: plan.rowCount) { sink in
            let (summary, events) = try CSVImportWriter.write(
                source: source, plan: plan, reader: reader, sink: sink, now: now,
                events: ImportedClientEvents(importID: importID, at: now), batchCapacity: batchCapacity)
            try events.complete(sink, format: Format.csv.rawValue, summary: summary)
            return summary
        }
    }

    /// Writes a document in one transaction.
    public func importDocument(_ document: ImportDocument, file: String = "import") throws -> ImportSummary {
        try document.check(file: file)
        let now = target.now()
        return try write(file: file, operation: "kam import \(file)", rowsComing: document.recordCount) { sink in
            try Self.write(document, sink: sink, file: file, now: now)
        }
    }

    /// One transaction of the target's (`ImportTarget.importing`), a refusal by the store made a person's: a
    /// `StoreError` of a record's write names the file (the writers name the line or path where they know it).
    private func write(
        file: String, operation: String, rowsComing: Int, _ body: (any ImportSink) throws -> ImportSummary
    ) throws -> ImportSummary {
        try target.importing(file, operation: operation, rowsComing: rowsComing) { sink in
            do {
                return try body(sink)
            } catch let error as StoreError {
                throw ImportError(.invalidRows, issues: [.init(file: file, message: error.message)], underlying: error)
            }
        }
    }

    static func write(_ document: ImportDocument, sink: any ImportSink, file: String, now: Date) throws -> ImportSummary {
        var summary = ImportSummary()
        var writer = ImportWriter(sink: sink, file: file, now: now)
        for (index, entry) in document.users.enumerated() {
            summary.users.add(try writer.user(entry, path: "users[\(index)]"))
        }
        for (index, entry) in document.clients.enumerated() {
            let path = "clients[\(index)]"
            let (client, outcome) = try writer.client(entry, path: path)
            summary.clients.add(outcome)
            var contactIDs: [String: Int64] = [:]  // file id and lowercased email → row id
            for (contactIndex, contact) in (entry.contacts ?? []).enumerated() {
                let (rowID, outcome) = try writer.contact(contact, clientID: client.id, path: "\(path).contacts[\(contactIndex)]")
                summary.contacts.add(outcome)
                if let id = contact.id { contactIDs[id] = rowID }
                if let email = contact.email?.lowercased() { contactIDs[email] = rowID }
            }
            // Written together: on PostgreSQL in a few statements, not two a record.
            let activities = try (entry.activities ?? []).enumerated().map { activityIndex, activity in
                let contactID = try activity.contact.map {
                    try writer.contactID($0, clientID: client.id, known: contactIDs, path: "\(path).activities[\(activityIndex)].contact")
                }
                return writer.activityRecord(activity, clientID: client.id, contactID: contactID)
            }
            do {
                for outcome in try writer.activities(activities) { summary.activities.add(outcome) }
            } catch let refused as ImportBatchError {
                throw writer.invalid("\(path).activities[\(refused.index)]", refused.error.message)
            }
            for (dealIndex, deal) in (entry.deals ?? []).enumerated() {
                summary.deals.add(try writer.deal(deal, client: client, path: "\(path).deals[\(dealIndex)]"))
            }
            for task in entry.tasks ?? [] {
                summary.tasks.add(try writer.task(task, clientID: client.id, defaultAssignee: client.ownerID))
            }
            for order in entry.orders ?? [] {
                summary.orders.add(try writer.order(order, client: client))
            }
            for (memoryIndex, memory) in (entry.memory ?? []).enumerated() {
                summary.memory.add(try writer.memory(memory, clientID: client.id, path: "\(path).memory[\(memoryIndex)]"))
            }
        }
        return summary
    }
}
