import KAMCore

/// Checks a file's bytes in an `ImportEncoding` a piece at a time and gives each piece as UTF-8: the bytes
/// themselves for UTF-8 (checked in place), converted for Windows-1252 and Latin-1. The bad bytes it met are
/// `error` at the end, one issue a line (its first bad byte described), so a file read in pieces (`CSVSource`)
/// is refused with the same `file:line` list as one read whole.
///
/// Each piece but the last must end at a line end: a UTF-8 sequence never spans one (`\n` is ASCII), so every
/// piece is checked on its own, and the lines counted so far place the next piece's bad bytes.
struct EncodingCheck {
    let encoding: ImportEncoding
    let file: String
    private var issues: [ImportError.Issue] = []
    private var lineCount = 0
    /// The line the next piece starts on.
    private var line = 1
    private var lastLine = 0
    private var converted: [UInt8] = []

    init(encoding: ImportEncoding, file: String) {
        self.encoding = encoding
        self.file = file
    }

    /// Why the bytes so far are refused; nil when every byte was text.
    var error: ImportError? {
        issues.isEmpty ? nil : ImportError(.invalidEncoding, issues: issues, issueCount: lineCount)
    }

    /// Calls `body` with `piece` as UTF-8, after noting its bad bytes.
    mutating func utf8<R, E: Error>(
        _ piece: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R
    ) throws(E) -> R {
        var cursor = LineCursor(line: line)
        defer { line = cursor.finish(piece) }
        switch encoding {
        case .utf8:
            UTF8Scan.forEachInvalidSequence(in: piece) { range in
                note(cursor.line(at: range.lowerBound, in: piece), offset: range.lowerBound - cursor.lineStart, piece[range.lowerBound]) {
                    "\(Self.hex($0)) is not UTF-8; if the file is Windows-1252 or Latin-1 (common in CRM exports), "
                        + "run again with --encoding windows-1252 or --encoding latin-1, or convert the file to UTF-8"
                }
                return true
            }
            return try body(piece)
        case .latin1, .windows1252:
            converted.removeAll(keepingCapacity: true)
            converted.reserveCapacity(piece.count + piece.count / 8)
            for offset in piece.indices {
                let byte = piece[offset]
                if byte < 0x80 {
                    converted.append(byte)
                } else if let scalar = encoding == .latin1 ? Unicode.Scalar(byte) : ImportEncoding.windows1252Scalar(byte) {
                    converted.append(contentsOf: UTF8.encode(scalar)!)
                } else {
                    note(cursor.line(at: offset, in: piece), offset: offset - cursor.lineStart, byte) {
                        "\(Self.hex($0)) is not a character in Windows-1252; if the file is Latin-1, run again with "
                            + "--encoding latin-1"
                    }
                }
            }
            return try converted.withUnsafeBufferPointer { (buffer) throws(E) in try body(buffer) }
        }
    }

    private mutating func note(_ line: Int, offset: Int, _ byte: UInt8, _ describe: (UInt8) -> String) {
        guard line != lastLine else { return }
        lastLine = line
        lineCount += 1
        if issues.count < ImportEncoding.issueLimit {
            issues.append(.init(file: file, line: line, message: "\(describe(byte)) (byte \(offset + 1) of the line)"))
        }
    }

    static func hex(_ byte: UInt8) -> String {
        "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    /// Lines of one piece, counted only as far as a bad byte needs (and over the rest at its end).
    private struct LineCursor {
        var line: Int
        /// Offset in the piece where `line` starts (negative: in an earlier piece).
        var lineStart = 0
        private var scanned = 0

        init(line: Int) { self.line = line }

        mutating func line(at offset: Int, in piece: UnsafeBufferPointer<UInt8>) -> Int {
            while scanned < offset {
                if piece[scanned] == 0x0A {
                    line += 1
                    lineStart = scanned + 1
                }
                scanned += 1
            }
            return line
        }

        /// The line after the piece.
        mutating func finish(_ piece: UnsafeBufferPointer<UInt8>) -> Int {
            var newlines = 0
            for index in scanned..<piece.count where piece[index] == 0x0A { newlines += 1 }
            return line + newlines
        }
    }
}
