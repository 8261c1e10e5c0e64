import Foundation
import KAMCore

/// What a connector read from a vendor's export: its records as one import document (checked and written by
/// the JSON path, in one transaction), the rows it left out and why, and where each entry came from, so that a
/// refusal of the document names the export's `file:line` instead of a path into a document nobody wrote.
public struct VendorExport: Sendable {
    public var document: ImportDocument
    /// Rows left out (a contact without an account, say), each with its file, line and reason.
    public var skipped: [ImportError.Issue] = []
    /// Document path of an entry (`clients[3]`, `clients[3].contacts[1]`) → the export row it was read from.
    var origins: [String: Origin] = [:]
    private var takenClientIDs: Set<String> = []

    struct Origin: Sendable {
        var file: String
        var line: Int
    }

    init(document: ImportDocument = ImportDocument()) {
        self.document = document
    }

    /// `error` with each issue that names a document path moved to the export row that path was read from (the
    /// longest path known), the rest of the path kept as its field.
    public func located(_ error: ImportError) -> ImportError {
        var located = error
        located.issues = error.issues.map { issue in
            guard let field = issue.field else { return issue }
            var prefix = field
            while !prefix.isEmpty {
                if let origin = origins[prefix] {
                    let rest = field.dropFirst(prefix.count).drop { $0 == "." }
                    return .init(file: origin.file, line: origin.line, field: rest.isEmpty ? nil : String(rest), message: issue.message)
                }
                guard let cut = prefix.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
                prefix = String(prefix[..<cut])
            }
            return issue
        }
        return located
    }

    /// Records that the entry at `path` was read from `table`'s row.
    mutating func note(_ path: String, _ table: ExportTable, _ row: CSVReader.Record) {
        origins[path] = Origin(file: table.file, line: row.line)
    }

    /// Appends to one of client `index`'s lists; returns the entry's position there.
    mutating func append<Entry>(_ entry: Entry, to index: Int, _ list: WritableKeyPath<ImportDocument.ClientEntry, [Entry]?>) -> Int {
        // Taken out and put back, so that the list is appended to in place, not copied.
        var items = document.clients[index][keyPath: list] ?? []
        document.clients[index][keyPath: list] = nil
        items.append(entry)
        document.clients[index][keyPath: list] = items
        return items.count - 1
    }

    /// A client id from a company's name, made unique with the end of the vendor's id when two share a name.
    mutating func uniqueClientID(for name: String, sourceID: String) -> String {
        var id = Slug.make(name)
        if id.isEmpty || takenClientIDs.contains(id) { id = Slug.make("\(name) \(sourceID.suffix(6))") }
        takenClientIDs.insert(id)
        return id
    }

    /// A vendor's task priority word (`High`, `Normal`, `LOW`, ...) as KAM's; medium for any other.
    static func taskPriority(_ word: String?) -> TaskPriority {
        switch word?.lowercased() {
        case "high": .high
        case "low": .low
        default: .medium
        }
    }

    mutating func skip(_ table: ExportTable, _ row: CSVReader.Record, _ reason: String) {
        skipped.append(.init(file: table.file, line: row.line, message: reason))
    }
}
