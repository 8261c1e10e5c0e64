/// `CSVReader`'s parser, fed a piece of the text at a time and keeping its place between pieces, so that an import
/// can read a file in pieces (`CSVSource`) instead of holding all of it.
///
/// A piece must end at a line end (`\n`) unless it is the last: then the one byte the parser looks ahead (after a
/// `"` for an escaped quote, after a `\r` for CRLF) is always in the same piece. A line end inside a quoted field
/// is still a line end, so a piece may end inside a quoted field.
struct CSVRecordParser {
    private var fields: [String] = []
    private var field: [UInt8] = []
    /// The physical line of the next byte.
    private(set) var line = 1
    private var recordLine = 1
    private var inQuotes = false
    /// The current field was quoted (so `""` is an empty field, not nothing).
    private var quoted = false
    /// Just closed a quoted field: only a separator or line end may follow.
    private var afterQuote = false
    private var atStart = true

    /// Hands each record that ends in `bytes` to `body`, blank lines skipped.
    mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (CSVReader.Record) -> Void) throws(CSVReader.SyntaxError) {
        var index = 0
        if atStart {
            atStart = false
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        }
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < count, bytes[index + 1] == UInt8(ascii: "\"") {
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
            case UInt8(ascii: "\r") where index + 1 < count && bytes[index + 1] == UInt8(ascii: "\n"):
                break  // the \n ends the record
            case UInt8(ascii: "\n"):
                endRecord(body)
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                guard field.isEmpty, !quoted else {
                    throw CSVReader.SyntaxError(
                        line: line,
                        message: "a quote inside an unquoted field; quote the whole field and double inner quotes (\"\")")
                }
                inQuotes = true
                quoted = true
            default:
                if afterQuote {
                    throw CSVReader.SyntaxError(
                        line: line, message: "text after a closing quote; a quoted field must end at a comma or line end")
                }
                field.append(byte)
            }
            index += 1
        }
    }

    /// The end of the text: its last record when it has no line end, or the error of a quote never closed.
    mutating func finish(_ body: (CSVReader.Record) -> Void) throws(CSVReader.SyntaxError) {
        if inQuotes {
            throw CSVReader.SyntaxError(line: recordLine, message: "a quoted field is never closed (missing \")")
        }
        if !field.isEmpty || !fields.isEmpty || quoted { endRecord(body) }
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        quoted = false
        afterQuote = false
    }

    private mutating func endRecord(_ body: (CSVReader.Record) -> Void) {
        endField()
        if !(fields.count == 1 && fields[0].isEmpty) {
            body(CSVReader.Record(line: recordLine, fields: fields))
        }
        fields.removeAll(keepingCapacity: true)
    }
}
