/// Whether a text is written like an email address a person can receive mail at.
///
/// Hand-written because neither the standard library nor Foundation on Linux has an address
/// check, and a full RFC 5322 parser would accept what no CRM should store (comments, quoted
/// local parts with spaces). The rule: one `@`; a local part of RFC 5322 `atext` characters (or
/// non-ASCII, RFC 6531) in dot-separated runs, at most 64 bytes; a domain of dot-separated labels
/// of letters, digits and inner hyphens (or non-ASCII, for internationalized names), each at most
/// 63 bytes; at most 254 bytes in all; no spaces, no control characters. A domain without a dot
/// is accepted: CRM exports hold company-internal addresses such as `taylor.jackson@nanolabs`.
public enum EmailSyntax {
    /// The reason `text` is not an address, or nil when it is one.
    public static func problem(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return "it is empty" }
        guard bytes.count <= 254 else { return "it is longer than 254 bytes" }
        let ats = bytes.indices.filter { bytes[$0] == UInt8(ascii: "@") }
        guard ats.count == 1, let at = ats.first else {
            return ats.isEmpty ? "it has no '@'" : "it has more than one '@'"
        }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard !local.isEmpty else { return "nothing before the '@'" }
        guard local.count <= 64 else { return "the part before the '@' is longer than 64 bytes" }
        if let bad = local.first(where: { !isLocalByte($0) }) { return "it contains \(describe(bad))" }
        if local.first == UInt8(ascii: ".") || local.last == UInt8(ascii: ".") || hasDoubleDot(local) {
            return "the part before the '@' starts or ends with a dot, or has two dots in a row"
        }
        guard !domain.isEmpty else { return "nothing after the '@'" }
        for label in domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !label.isEmpty else { return "the domain has an empty label (two dots, or a dot at an end)" }
            guard label.count <= 63 else { return "a domain label is longer than 63 bytes" }
            if let bad = label.first(where: { !isDomainByte($0) }) { return "the domain contains \(describe(bad))" }
            if label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") {
                return "a domain label starts or ends with '-'"
            }
        }
        return nil
    }

    /// Whether `text` is an address.
    public static func isValid(_ text: String) -> Bool { problem(text) == nil }

    /// RFC 5322 `atext` plus the dot, and any non-ASCII byte (RFC 6531).
    static func isLocalByte(_ b: UInt8) -> Bool {
        if b >= 0x80 { return true }
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array("!#$%&'*+-/=?^_`{|}~.".utf8).contains(b)
        }
    }

    static func isDomainByte(_ b: UInt8) -> Bool {
        if b >= 0x80 { return true }
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    static func hasDoubleDot(_ bytes: ArraySlice<UInt8>) -> Bool {
        zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") }
    }

    static func describe(_ b: UInt8) -> String {
        if b == 0x20 { return "a space" }
        if b < 0x20 || b == 0x7F { return "the control character 0x\(String(b, radix: 16, uppercase: true))" }
        return "'\(Character(Unicode.Scalar(b)))'"
    }
}
