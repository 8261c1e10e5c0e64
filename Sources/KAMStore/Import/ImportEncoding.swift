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
        String(decoding: try utf8Bytes(data, file: file), as: UTF8.self)
    }

    /// The file's text as UTF-8 bytes: the bytes themselves for a UTF-8 file (after the check
    /// `decode` makes), converted for the other encodings.
    public func utf8Bytes(_ data: Data, file: String) throws(ImportError) -> [UInt8] {
        try utf8Bytes([UInt8](data), file: file)
    }

    /// `utf8Bytes(_:file:)` of bytes already read: a UTF-8 file is checked in place, not copied.
    func utf8Bytes(_ bytes: [UInt8], file: String) throws(ImportError) -> [UInt8] {
        var check = EncodingCheck(encoding: self, file: file)
        let converted = bytes.withUnsafeBufferPointer { piece in
            check.utf8(piece) { self == .utf8 ? nil : Array($0) }
        }
        if let error = check.error { throw error }
        return converted ?? bytes
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
}
