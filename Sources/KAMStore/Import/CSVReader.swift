/// An RFC 4180 CSV parser that knows on which physical line each record starts.
///
/// Written here rather than taken from SwiftCSV or CSV.swift because import errors must name the
/// file's physical line (a quoted field may span several lines), which neither reports, and
/// because the whole file is parsed before anything is stored. Handles quoted fields with `""`
/// escapes and embedded newlines, LF and CRLF line ends, a UTF-8 byte-order mark, and a last line
/// without a newline.
public struct CSVReader: Sendable {
    /// One record: its fields and the 1-based physical line it starts on.
    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]
    }

    /// A syntax error: an unterminated quote, or a quote in the middle of an unquoted field.
    public struct SyntaxError: Error, Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    public init() {}

    /// Every record of `text`, blank lines skipped.
    public func records(_ text: String) throws(SyntaxError) -> [Record] {
        var records: [Record] = []
        try forEachRecord(Array(text.utf8)) { records.append($0) }
        return records
    }

    /// Hands each record of the UTF-8 `bytes` to `body` in turn, blank lines skipped, so that a
    /// caller can read a large file without holding all of its records (the importer reads twice).
    public func forEachRecord(_ bytes: [UInt8], _ body: (Record) -> Void) throws(SyntaxError) {
        var parser = CSVRecordParser()
        try bytes.withUnsafeBufferPointer { (buffer) throws(SyntaxError) in try parser.parse(buffer, body) }
        try parser.finish(body)
    }
}
