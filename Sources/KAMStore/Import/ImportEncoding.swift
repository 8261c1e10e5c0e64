import Foundation
import KAMCore

/// The character encoding of an import file: UTF-8 unless `kam import --encoding` says otherwise.
///
/// CRM exports made on Windows are often Windows-1252 or Latin-1. Reading such a file as UTF-8
/// used to turn every `é` into U+FFFD and import it anyway; now a byte that is not UTF-8 is
/// refused with its line, and the message names the option that reads the file as it is.
public enum ImportEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
    /// ISO-8859-1: every byte is the code point of the same value.
    case latin1 = "latin-1"

    /// The encoding for a name as people write it (`UTF8`, `cp1252`, `ISO-8859-1`, `latin1`, ...).
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": self = .utf8
        case "windows-1252", "windows1252", "cp1252", "cp-1252": self = .windows1252
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1": self = .latin1
        default: return nil
        }
    }

    /// The names `init(name:)` is documented to take, for help and error texts.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// How many undecodable places one error lists before it only counts the rest.
    static let issueLimit = 20

    /// The text of a file's bytes.
    ///
    /// - Throws: `ImportError` `.invalidEncoding` listing `file:line` of each line that holds a
    ///   byte that is not text in this encoding (ill-formed UTF-8; the five bytes Windows-1252
    ///   leaves undefined). Nothing is replaced by U+FFFD.
    public func decode(_ data: Data, file: String) throws(ImportError) -> String {
        let bytes = [UInt8](data)
        var refusal = Refusal(bytes: bytes, file: file)
        switch self {
        case .utf8:
            Self.checkUTF8(bytes, into: &refusal)
            if let error = refusal.error { throw error }
            return String(decoding: bytes, as: UTF8.self)
        case .latin1:
            return String(String.UnicodeScalarView(bytes.lazy.map { Unicode.Scalar($0) }))
        case .windows1252:
            var scalars = String.UnicodeScalarView()
            scalars.reserveCapacity(bytes.count)
            for (offset, byte) in bytes.enumerated() {
                if let scalar = Self.windows1252Scalar(byte) {
                    scalars.append(scalar)
                } else {
                    refusal.add(offset) {
                        "\(Self.hex($0)) is not a character in Windows-1252; if the file is Latin-1, run again with "
                            + "--encoding latin-1"
                    }
                }
            }
            if let error = refusal.error { throw error }
            return String(scalars)
        }
    }

    /// The file's text as UTF-8 bytes: the bytes themselves for a UTF-8 file (after the check
    /// `decode` makes), converted for the other encodings.
    public func utf8Bytes(_ data: Data, file: String) throws(ImportError) -> [UInt8] {
        if self == .utf8 { return try utf8Bytes([UInt8](data), file: file) }
        return Array(try decode(data, file: file).utf8)
    }

    /// `utf8Bytes(_:file:)` of bytes already read: a UTF-8 file is checked in place, not copied.
    func utf8Bytes(_ bytes: [UInt8], file: String) throws(ImportError) -> [UInt8] {
        guard self == .utf8 else { return Array(try decode(Data(bytes), file: file).utf8) }
        var refusal = Refusal(bytes: bytes, file: file)
        Self.checkUTF8(bytes, into: &refusal)
        if let error = refusal.error { throw error }
        return bytes
    }

    /// Windows-1252's characters for 0x80–0x9F (nil where it defines none), from the Unicode
    /// consortium's mapping table `CP1252.TXT`; every other byte is the Latin-1 code point.
    ///
    /// Written out rather than taken from Foundation because Foundation answers nil for the whole
    /// file when one byte is undefined, and the error must say on which line that byte is.
    static let windows1252High: [UInt32?] = [
        0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
        nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E, 0x0178,
    ]

    static func windows1252Scalar(_ byte: UInt8) -> Unicode.Scalar? {
        guard byte >= 0x80, byte < 0xA0 else { return Unicode.Scalar(byte) }
        return windows1252High[Int(byte - 0x80)].flatMap(Unicode.Scalar.init)
    }

    private static func checkUTF8(_ bytes: [UInt8], into refusal: inout Refusal) {
        bytes.withUnsafeBufferPointer { buffer in
            UTF8Scan.forEachInvalidSequence(in: buffer) { range in
                refusal.add(range.lowerBound) {
                    "\(Self.hex($0)) is not UTF-8; if the file is Windows-1252 or Latin-1 (common in CRM exports), "
                        + "run again with --encoding windows-1252 or --encoding latin-1, or convert the file to UTF-8"
                }
                return true
            }
        }
    }

    static func hex(_ byte: UInt8) -> String {
        "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    /// Collects the bad bytes of a file as one issue per line (the line's first bad byte described).
    private struct Refusal {
        let bytes: [UInt8]
        let file: String
        var issues: [ImportError.Issue] = []
        var lineCount = 0
        var line = 1
        var lineStart = 0
        var scanned = 0
        var lastLine = 0

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
        }

        mutating func add(_ offset: Int, _ describe: (UInt8) -> String) {
            while scanned < offset {
                if bytes[scanned] == 0x0A {
                    line += 1
                    lineStart = scanned + 1
                }
                scanned += 1
            }
            guard line != lastLine else { return }
            lastLine = line
            lineCount += 1
            if issues.count < ImportEncoding.issueLimit {
                issues.append(
                    .init(file: file, line: line, message: "\(describe(bytes[offset])) (byte \(offset - lineStart + 1) of the line)"))
            }
        }

        var error: ImportError? {
            issues.isEmpty ? nil : ImportError(.invalidEncoding, issues: issues, issueCount: lineCount)
        }
    }
}
