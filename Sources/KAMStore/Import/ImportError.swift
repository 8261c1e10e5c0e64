import Foundation

/// Why an import file was refused; nothing of the file was stored.
///
/// Each issue says where (`file:line` for CSV, `file: clients[3].deals[0].stage` for JSON), which
/// field, what was wrong and what was expected, so the person can fix the file and run again.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// The file could not be read.
        case unreadable = "import.unreadable"
        /// The file is not valid JSON / CSV, or misses a required column.
        case malformed = "import.malformed"
        /// One or more rows or entries hold invalid values.
        case invalidRows = "import.invalid-rows"
        /// The mapping file is invalid or names columns the CSV does not have.
        case invalidMapping = "import.invalid-mapping"
        /// The file's bytes are not text in the encoding it was read with (UTF-8 unless `--encoding`).
        case invalidEncoding = "import.invalid-encoding"
    }

    /// One problem, located.
    public struct Issue: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        /// Physical line of the file (1-based): where the CSV record starts, or where the JSON
        /// value is; nil when the problem has no place in a file (a document built in code).
        public var line: Int?
        /// 1-based column (in characters) of a JSON value; nil for CSV.
        public var column: Int?
        /// The CSV column or JSON path.
        public var field: String?
        public var message: String

        public init(file: String, line: Int? = nil, column: Int? = nil, field: String? = nil, message: String) {
            self.file = file
            self.line = line
            self.column = column
            self.field = field
            self.message = message
        }

        /// `file.csv:17: field 'status': ...` for CSV, `file.json:12:7: clients[0].tier: ...` for JSON.
        public var description: String {
            var text = file
            if let line { text += ":\(line)" }
            if let column { text += ":\(column)" }
            text += ": "
            if let field { text += line == nil || column != nil ? "\(field): " : "field '\(field)': " }
            return text + message
        }
    }

    public var code: Code
    public var issues: [Issue]
    /// How many issues there were in all (only the first few are kept).
    public var issueCount: Int
    public var underlying: (any Error)?

    public init(_ code: Code, issues: [Issue], issueCount: Int? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.issues = issues
        self.issueCount = issueCount ?? issues.count
        self.underlying = underlying
    }

    public var message: String {
        var lines = issues.map(\.description)
        if issueCount > issues.count { lines.append("... and \(issueCount - issues.count) more") }
        lines.append("nothing was imported; fix the file and run the import again")
        return lines.joined(separator: "\n")
    }

    public var description: String { message }
}
