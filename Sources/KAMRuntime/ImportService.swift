import Foundation
import KAMCore
import KAMStore

/// Imports into the runtime's store: a JSON document (docs/import-format.md) or a CSV export through a
/// column mapping, one file one transaction.
///
/// For example:
/// ```swift
/// let summary = try runtime.imports.importFile(
///     ImportService.FileRequest(path: "export.csv", mapping: "workbench"), as: ActingUser("maria"))
/// print(summary.clients.created)
/// ```
public struct ImportService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// A file to import and how to read it.
    public struct FileRequest: Sendable {
        /// The file (`.json` or `.csv`).
        public var path: String
        /// json or csv; nil takes CSV when a mapping is given, else the file's extension.
        public var format: ClientImporter.Format?
        /// A built-in mapping's name (`workbench`) or a YAML/JSON mapping file, for CSV.
        public var mapping: String?
        /// The file's character encoding.
        public var encoding: ImportEncoding

        public init(
            path: String, format: ClientImporter.Format? = nil, mapping: String? = nil, encoding: ImportEncoding = .utf8
        ) {
            self.path = path
            self.format = format
            self.mapping = mapping
            self.encoding = encoding
        }
    }

    /// Imports a file: all of it, or nothing when any row is refused.
    ///
    /// - Throws: `ImportError` (unreadable, malformed, invalid rows, mapping or encoding; nothing stored),
    ///   `StoreError` for database failures (`.busy` when another process kept the write lock).
    public func importFile(_ request: FileRequest, as user: ActingUser) throws -> ImportSummary {
        if let name = request.mapping, let connector = ExportConnector(name: name, directory: request.path, encoding: request.encoding) {
            return try importConnector(connector, as: user)
        }
        let mapping = try request.mapping.map(CSVMapping.resolve)
        let format = request.format ?? (mapping == nil ? nil : .csv)
        return try importer.importFile(at: request.path, format: format, mapping: mapping, encoding: request.encoding)
    }

    /// Imports a JSON document's bytes (an upload); `file` names it in error messages.
    /// - Throws: `ImportError`, `StoreError`, as `importFile`.
    public func importJSON(_ data: Data, file: String, encoding: ImportEncoding = .utf8, as user: ActingUser) throws
        -> ImportSummary
    {
        try importer.importJSON(data, file: file, encoding: encoding)
    }

    /// Imports a CSV file's bytes (an upload) through `mapping`; `file` names it in error messages.
    /// - Throws: `ImportError`, `StoreError`, as `importFile`.
    public func importCSV(
        _ data: Data, file: String, mapping: CSVMapping, encoding: ImportEncoding = .utf8, as user: ActingUser
    ) throws -> ImportSummary {
        try importer.importCSV(bytes: try encoding.utf8Bytes(data, file: file), file: file, mapping: mapping)
    }

    /// Reads a connector and imports what it read in one transaction: all of it, or nothing when any record is
    /// refused (named by the export's `file:line`). The rows it left out are the summary's `skipped`.
    /// - Throws: `ImportError`, `StoreError`, as `importFile`.
    public func importConnector(_ connector: any Connector, as user: ActingUser) throws -> ImportSummary {
        let export = try connector.read()
        var summary: ImportSummary
        do {
            summary = try importer.importDocument(export.document, file: connector.name)
        } catch let error as ImportError {
            throw export.located(error)
        }
        summary.skipped = export.skipped.map(\.description)
        return summary
    }

    private var importer: ClientImporter { ClientImporter(target: runtime.importTarget, ids: runtime.ids) }
}
