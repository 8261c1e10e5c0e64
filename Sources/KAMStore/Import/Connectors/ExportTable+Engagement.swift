import Foundation
import KAMCore

/// The cells of an email tool's per-recipient report: yes/no flags, counts that may be written as flags, links.
extension ExportTable {
    /// A yes/no cell: `true`, `yes`, `1`, `x`, a bounce kind (`hard`, `soft`) or a date (the time it happened) say
    /// yes; `false`, `no`, `0` or an empty cell say no.
    func flag(_ row: CSVReader.Record, _ column: Int?, _ name: String) throws -> Bool {
        guard let value = text(row, column) else { return false }
        switch value.lowercased() {
        case "true", "yes", "y", "1", "x", "hard", "soft", "hard bounce", "soft bounce": return true
        case "false", "no", "n", "0": return false
        default:
            if (try? date(row, column, name)) != nil { return true }
            throw invalid(row, name, "'\(value)' is neither yes nor no (true/false, yes/no, 1/0, or the date it happened)")
        }
    }

    /// A count cell: a whole number, or a flag (yes is one); an empty cell is zero.
    func count(_ row: CSVReader.Record, _ column: Int?, _ name: String) throws -> Int {
        guard let value = text(row, column) else { return 0 }
        if let number = Int(value), number >= 0 { return number }
        switch value.lowercased() {
        case "true", "yes", "y", "x": return 1
        case "false", "no", "n": return 0
        default: throw invalid(row, name, "'\(value)' is not a count (a whole number of 0 or more, or yes/no)")
        }
    }

    /// The links of a cell that lists them, separated by `;`, `|`, spaces or line ends; each once, in order.
    func links(_ row: CSVReader.Record, _ column: Int?) -> [String] {
        guard let value = text(row, column) else { return [] }
        var seen: Set<String> = []
        return value.split(whereSeparator: { $0 == ";" || $0 == "|" || $0.isWhitespace }).map(String.init)
            .filter { seen.insert($0).inserted }
    }

    /// An email address cell that must hold one.
    func email(_ row: CSVReader.Record, _ column: Int, _ name: String) throws -> String {
        let value = try required(row, column, name)
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasSuffix(".") else {
            throw invalid(row, name, "'\(value)' is not an email address (name@domain)")
        }
        return value
    }
}
