import Foundation

/// Turns body bytes into text for the charsets mail uses; unknown charsets fall back to UTF-8
/// with replacement characters rather than failing the message.
enum Charsets {
    static func decode(_ bytes: [UInt8], charset: String) -> String {
        switch charset.lowercased().trimmingCharacters(in: .whitespaces) {
        case "utf-8", "utf8", "us-ascii", "ascii", "":
            return String(decoding: bytes, as: UTF8.self)
        case "iso-8859-1", "latin1", "iso8859-1", "l1":
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case "windows-1252", "cp1252":
            return String(data: Data(bytes), encoding: .windowsCP1252) ?? latin1(bytes)
        case "utf-16", "utf16":
            return String(data: Data(bytes), encoding: .utf16) ?? String(decoding: bytes, as: UTF8.self)
        case "iso-8859-2", "latin2":
            return String(data: Data(bytes), encoding: .isoLatin2) ?? latin1(bytes)
        default:
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func latin1(_ bytes: [UInt8]) -> String {
        String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}
