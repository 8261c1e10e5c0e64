/// Whether a text is written like an email address a person can receive mail at.
///
/// Hand-written because neither the standard library nor Foundation on Linux has an address
/// check, and a full RFC 5322 parser would accept what no CRM should store (comments, quoted
/// local parts with spaces). The rule: one `@`; a local part of RFC 5322 `atext` characters (or
/// non-ASCII, RFC 6531) in dot-separated runs, at most 64 characters; a domain of dot-separated labels
/// of letters, digits and inner hyphens (or non-ASCII, for internationalized names), each at most
/// 63 characters; at most 254 characters in all; no white space (Unicode's too), no control characters.
/// A domain without a dot is accepted: CRM exports hold company-internal addresses such as
/// `taylor.jackson@nanolabs`.
///
/// The limits count characters (Unicode scalars), not UTF-8 bytes, on purpose. RFC 5321 states them in
/// octets of what travels over SMTP, but KAM stores and shows addresses and never speaks SMTP, and the
/// octets on the wire are not the UTF-8 bytes of the text either: an internationalized domain travels as
/// its punycode A-label, whose length no byte count of the Unicode form predicts. What a person typing an
/// address and an app calling the API can check is a count of characters, and that is what the OpenAPI
/// document can state (`maxLength` and pattern repetitions count Unicode code points, as
/// `ClientsEmailAddress` and `ClientsEmailDomain` do): a byte rule here would refuse values the document
/// allows (a 40-character local part of `é` is 80 bytes). No real address sits between the two counts.
public enum EmailSyntax {
    /// The reason `text` is not an address, or nil when it is one.
    public static func problem(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return "it is empty" }
        guard scalars.count <= 254 else { return "it is longer than 254 characters" }
        let ats = scalars.indices.filter { scalars[$0] == "@" }
        guard ats.count == 1, let at = ats.first else {
            return ats.isEmpty ? "it has no '@'" : "it has more than one '@'"
        }
        let local = scalars[..<at]
        let domain = scalars[(at + 1)...]
        guard !local.isEmpty else { return "nothing before the '@'" }
        guard local.count <= 64 else { return "the part before the '@' is longer than 64 characters" }
        if let bad = local.first(where: { !isLocal($0) }) { return "it contains \(describe(bad))" }
        if local.first == "." || local.last == "." || zip(local, local.dropFirst()).contains(where: { $0 == "." && $1 == "." }) {
            return "the part before the '@' starts or ends with a dot, or has two dots in a row"
        }
        guard !domain.isEmpty else { return "nothing after the '@'" }
        return domainProblem(domain)
    }

    /// Whether `text` is an address.
    public static func isValid(_ text: String) -> Bool { problem(text) == nil }

    /// Why the labels of a domain (what follows the '@') are not an email domain's, or nil.
    static func domainProblem(_ domain: ArraySlice<Unicode.Scalar>) -> String? {
        for label in domain.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else { return "the domain has an empty label (two dots, or a dot at an end)" }
            guard label.count <= 63 else { return "a domain label is longer than 63 characters" }
            if let bad = label.first(where: { !isDomain($0) }) { return "the domain contains \(describe(bad))" }
            if label.first == "-" || label.last == "-" { return "a domain label starts or ends with '-'" }
        }
        return nil
    }

    /// RFC 5322 `atext` plus the dot, and any non-ASCII character but white space and controls (RFC 6531).
    static func isLocal(_ c: Unicode.Scalar) -> Bool {
        c.isASCII ? isAlphanumeric(c) || "!#$%&'*+-/=?^_`{|}~.".unicodeScalars.contains(c) : isVisibleNonASCII(c)
    }

    static func isDomain(_ c: Unicode.Scalar) -> Bool {
        c.isASCII ? isAlphanumeric(c) || c == "-" : isVisibleNonASCII(c)
    }

    static func isAlphanumeric(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
    }

    /// Not a C1 control and not white space the services trim (`whitespacesAndNewlines`: Unicode Zs, Zl, Zp,
    /// U+0085); the same set as the document's `NonBlankText`.
    static func isVisibleNonASCII(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x80...0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return false
        default: return true
        }
    }

    static func describe(_ c: Unicode.Scalar) -> String {
        if c == " " { return "a space" }
        let hex = String(c.value, radix: 16, uppercase: true)
        let point = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if c.value < 0x20 || (0x7F...0x9F).contains(c.value) { return "the control character \(point)" }
        if !c.isASCII && !isVisibleNonASCII(c) { return "the white space \(point)" }
        return "'\(c)'"
    }
}
