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
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quoted = false  // the current field was quoted (so "" is an empty field, not nothing)
        var afterQuote = false  // just closed a quoted field: only a separator or line end may follow
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quoted = false
            afterQuote = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                body(Record(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 2
                        continue
                    }
                    inQuotes = false
                    afterQuote = true
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"):
                break  // the \n ends the record
            case UInt8(ascii: "\n"):
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                guard field.isEmpty, !quoted else {
                    throw SyntaxError(
                        line: line,
                        message: "a quote inside an unquoted field; quote the whole field and double inner quotes (\"\")")
                }
                inQuotes = true
                quoted = true
            default:
                if afterQuote {
                    throw SyntaxError(
                        line: line, message: "text after a closing quote; a quoted field must end at a comma or line end")
                }
                field.append(byte)
            }
            index += 1
        }
        if inQuotes {
            throw SyntaxError(line: recordLine, message: "a quoted field is never closed (missing \")")
        }
        if !field.isEmpty || !fields.isEmpty || quoted { endRecord() }
    }
}
