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
        if Self.isASCII(value) {
            // One character a byte: the same split, without Unicode's segmentation.
            return value.utf8.split(whereSeparator: { $0 == 0x3B || $0 == 0x7C || $0 == 0x20 || (0x09...0x0D).contains($0) })
                .map { String(decoding: $0, as: UTF8.self) }.filter { seen.insert($0).inserted }
        }
        return value.split(whereSeparator: { $0 == ";" || $0 == "|" || $0.isWhitespace }).map(String.init)
            .filter { seen.insert($0).inserted }
    }

    /// An email address cell that must hold one.
    func email(_ row: CSVReader.Record, _ column: Int, _ name: String) throws -> String {
        let value = try required(row, column, name)
        guard Self.isEmailAddress(value) else { throw invalid(row, name, "'\(value)' is not an email address (name@domain)") }
        return value
    }

    /// One `@` with a name before it and, after it, a domain holding a dot and not ending with one.
    static func isEmailAddress(_ value: String) -> Bool {
        if isASCII(value) {
            // One character a byte: the bytes say what the characters would, without Unicode's segmentation and
            // Foundation's search (about half of reading a campaign report's row: BENCHMARKS.md, "Campaign import").
            let bytes = value.utf8
            guard let at = bytes.firstIndex(of: 0x40), at != bytes.startIndex else { return false }
            let domain = bytes[bytes.index(after: at)...]
            return !domain.contains(0x40) && domain.contains(0x2E) && domain.last != 0x2E
        }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasSuffix(".")
    }

    private static func isASCII(_ value: String) -> Bool { value.utf8.allSatisfy { $0 < 0x80 } }
}
