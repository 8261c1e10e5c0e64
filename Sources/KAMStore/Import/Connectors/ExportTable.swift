import Foundation
import KAMCore

/// One CSV file of a vendor's export (Salesforce's `Account.csv`, HubSpot's companies export, ...): its
/// columns by header name, and its rows with their physical lines, so that a value the connector refuses is
/// named `file:line: column`.
///
/// Header names are matched without regard to case, spaces or underscores, and a column may go by several
/// names (vendors rename their export columns between versions and locales of their UI).
struct ExportTable {
    let file: String
    let rows: [CSVReader.Record]
    private let columns: [String: Int]

    /// Reads `path` (UTF-8, or `encoding`); nil when there is no such file.
    init?(path: String, encoding: ImportEncoding) throws {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let file = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(.unreadable, issues: [.init(file: path, message: "cannot read the file; check its permissions")])
        }
        try self.init(bytes: try encoding.utf8Bytes(data, file: file), file: file)
    }

    /// Reads a file's UTF-8 text already in memory (an upload); `file` names it in errors.
    init(bytes: [UInt8], file: String) throws {
        var records: [CSVReader.Record] = []
        do {
            try CSVReader().forEachRecord(bytes) { records.append($0) }
        } catch {
            throw ImportError(.malformed, issues: [.init(file: file, line: error.line, message: error.message)], underlying: error)
        }
        guard let header = records.first else {
            throw ImportError(.malformed, issues: [.init(file: file, message: "the file is empty: expected a header line")])
        }
        self.file = file
        rows = Array(records.dropFirst())
        var columns: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() where columns[Self.key(name)] == nil {
            columns[Self.key(name)] = index
        }
        self.columns = columns
    }

    /// The index of the first of `names` the header has.
    func column(_ names: [String]) -> Int? {
        names.lazy.compactMap { columns[Self.key($0)] }.first
    }

    /// Refuses a file without one of `names` among its columns.
    func require(_ names: [String]) throws -> Int {
        guard let index = column(names) else {
            throw ImportError(
                .invalidMapping,
                issues: [.init(file: file, line: 1, message: "no column \(names.map { "'\($0)'" }.joined(separator: " or ")); is this the right export file?")])
        }
        return index
    }

    /// The trimmed text of `column` in `row`; nil when the column is missing or the cell empty.
    func text(_ row: CSVReader.Record, _ column: Int?) -> String? {
        guard let column, column < row.fields.count else { return nil }
        let field = row.fields[column]
        // Most cells begin and end with a visible ASCII character, so there is nothing to trim: Foundation's trimming
        // cost more than the rest of reading a campaign report's row.
        guard let first = field.utf8.first, let last = field.utf8.last else { return nil }
        if first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return field }
        let value = field.trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// A cell that must hold text.
    func required(_ row: CSVReader.Record, _ column: Int, _ name: String) throws -> String {
        guard let value = text(row, column) else { throw invalid(row, name, "is empty; every row needs it") }
        return value
    }

    /// A date (`2024-03-05`), a date-time (`2024-03-05T14:30:00.000Z`, `2024-03-05 14:30`), or nil for an empty cell.
    func date(_ row: CSVReader.Record, _ column: Int?, _ name: String) throws -> Date? {
        guard let value = text(row, column) else { return nil }
        if let date = ImportDate.parse(value) { return date }
        // Spreadsheet-style exports: a space instead of the T, and no seconds or zone.
        let parts = value.split(separator: " ", maxSplits: 1).map(String.init)
        if parts.count == 2, let date = ImportDate.parse(parts[0] + "T" + parts[1] + (parts[1].count == 5 ? ":00Z" : "Z")) {
            return date
        }
        throw invalid(row, name, "'\(value)' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")
    }

    /// A number (`1200`, `1200.50`, `1,200.50`), or nil for an empty cell.
    func number(_ row: CSVReader.Record, _ column: Int?, _ name: String) throws -> Double? {
        guard let value = text(row, column) else { return nil }
        guard let number = Double(value.replacingOccurrences(of: ",", with: "")), number.isFinite else {
            throw invalid(row, name, "'\(value)' is not a number")
        }
        return number
    }

    /// Memory facts of a row: each text column's text and each number column's number (whole), under their keys.
    func facts(
        _ row: CSVReader.Record, text: [(key: String, column: Int?)], numbers: [(key: String, column: Int?, name: String)]
    ) throws -> [ImportDocument.MemoryEntry] {
        var facts = text.compactMap { fact in self.text(row, fact.column).map { ImportDocument.MemoryEntry(key: fact.key, value: $0) } }
        for fact in numbers {
            if let value = try number(row, fact.column, fact.name) {
                facts.append(.init(key: fact.key, value: String(format: "%.0f", value)))
            }
        }
        return facts
    }

    /// Whether a vendor's boolean cell says yes (`true`, `1`, `yes`, any case).
    static func isTrue(_ text: String) -> Bool { ["true", "1", "yes"].contains(text.lowercased()) }

    /// A refusal of `row`'s `column` (its header name), with the file and line.
    func invalid(_ row: CSVReader.Record, _ column: String, _ message: String) -> ImportError {
        ImportError(.invalidRows, issues: [.init(file: file, line: row.line, field: column, message: message)])
    }

    private static func key(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "\u{FEFF}" }.map(Character.init))
    }
}
