import Foundation

/// Why an import file was refused; nothing of the file was stored.
///
/// Each issue says where (`file:line` for CSV, `file: clients[3].deals[0].stage` for JSON), which
/// field, what was wrong and what was expected, so the person can fix the file and run again.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable, Equatable {
        /// The file could not be read.
        case unreadable
        /// The file is not valid JSON / CSV, or misses a required column.
        case malformed
        /// One or more rows or entries hold invalid values.
        case invalidRows = "invalid-rows"
        /// The mapping file is invalid or names columns the CSV does not have.
        case invalidMapping = "invalid-mapping"
    }

    /// One problem, located.
    public struct Issue: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        /// Physical line of the file (1-based) where the CSV record starts; nil for JSON.
        public var line: Int?
        /// The CSV column or JSON path.
        public var field: String?
        public var message: String

        public init(file: String, line: Int? = nil, field: String? = nil, message: String) {
            self.file = file
            self.line = line
            self.field = field
            self.message = message
        }

        public var description: String {
            var text = file
            if let line { text += ":\(line)" }
            text += ": "
            if let field { text += line == nil ? "\(field): " : "field '\(field)': " }
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
