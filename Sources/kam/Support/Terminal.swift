import Foundation

/// How `kam` writes for a person and for scripts: errors on stderr, JSON and timestamps on stdout.
enum Terminal {
    /// One line on stderr.
    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Pretty JSON with sorted keys and ISO-8601 dates, for `--json` output.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A timestamp in tables and history lines, in UTC without the zone letter: `2026-12-03T11:05:00`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
    }

    /// `YYYY-MM-DD` of `date` in UTC.
    static func day(_ date: Date) -> String {
        String(timestamp(date).prefix(10))
    }
}
