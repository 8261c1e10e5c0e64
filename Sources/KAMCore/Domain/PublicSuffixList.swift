import Foundation

/// The Public Suffix List (publicsuffix.org): which end of a host name anyone may register under
/// (`com`, `co.uk`, `github.io`) and so which part one owner holds (`acme.co.uk`, `alice.github.io`).
///
/// The list is data: this type parses the text it is given (the list's own `.dat` format) and does
/// no I/O; `KAMStore` ships a snapshot and loads it. Matching follows the list's algorithm: the
/// longest matching rule wins, a wildcard rule (`*.ck`) matches any one label, an exception rule
/// (`!www.ck`) beats every other rule and drops its leftmost label, and a host no rule matches has
/// its last label as public suffix (the implicit `*` rule). Rules are kept by section, ICANN or
/// private, so a caller can ignore the private ones (`github.io`, `blogspot.com`).
///
/// Hand-written rather than taken from a package: no Swift package on this machine implements the
/// list, and the matcher is a few dictionary look-ups. Unicode rules are also stored in their
/// punycode form (`公司.cn` and `xn--55qx5d.cn`), through Foundation's IDNA encoding, so hosts
/// match in either form and come back in the form they were given.
///
/// For example:
///
///     let list = PublicSuffixList(text: snapshot)
///     list.registrableDomain(of: "mail.alpha.co.uk")   // "alpha.co.uk"
///     list.match("x.github.io")?.publicSuffix           // "github.io" (a private rule)
///     list.registrableDomain(of: "co.uk")                // nil: a public suffix itself
public struct PublicSuffixList: Sendable {
    /// The part of the list a rule comes from.
    public enum Section: String, Sendable, Codable {
        /// Delegated by registries (`co.uk`, `gov.uk`, `com.au`).
        case icann
        /// Submitted by owners of domains who let others register under them (`github.io`).
        case privateDomains = "private"
    }

    /// How a host splits under the list.
    public struct Match: Sendable, Equatable {
        /// The public suffix (`co.uk`); the last label when no rule matched.
        public var publicSuffix: String
        /// The public suffix and one more label (`alpha.co.uk`); nil when the host is a public suffix.
        public var registrableDomain: String?
        /// The section of the prevailing rule; nil when no rule matched (the implicit `*` rule).
        public var section: Section?
    }

    /// The rules about each name, in one table so that matching looks each suffix of a host up once, not three times
    /// (the look-ups were a tenth of reading a CSV row of one company a row).
    private var entries: [String: Entry] = [:]

    /// What the list says about one name.
    private struct Entry {
        /// `ck`: the name is a public suffix.
        var rule: Section?
        /// `*.ck`, kept under `ck`: every name one label under it is.
        var wildcard: Section?
        /// `!www.ck`, kept under `www.ck`: the name is not, whatever a wildcard says.
        var exception: Section?
    }
    /// The `// VERSION:` line of the list, when it has one.
    public private(set) var version: String?

    /// How many rules the list holds (each counted once, whatever its forms).
    public private(set) var ruleCount = 0

    /// Parses the list's text: one rule a line, `//` comments, and the `===BEGIN PRIVATE DOMAINS===`
    /// marker starting the private section. Lines that are not rules are ignored, as the format says.
    public init(text: String) {
        // Read byte by byte: splitting the 230 KB text into `Character` lines and checking each rule `Character` by
        // `Character` was 2% of a 20,000-row import's wall time, paid once a process before its first row.
        var section = Section.icann
        let bytes = Array(text.utf8)
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var position = 0
        while position < bytes.count {
            var end = position
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n"), bytes[end] != UInt8(ascii: "\r") { end += 1 }
            var start = position
            while start < end, isBlank(bytes[start]) { start += 1 }
            position = end + 1
            guard start < end else { continue }
            if end - start >= 2, bytes[start] == UInt8(ascii: "/"), bytes[start + 1] == UInt8(ascii: "/") {
                let line = String(decoding: bytes[start..<end], as: UTF8.self)
                if line.contains("===BEGIN PRIVATE DOMAINS===") {
                    section = .privateDomains
                } else if line.contains("===BEGIN ICANN DOMAINS===") {
                    section = .icann
                } else if version == nil, let range = line.range(of: "VERSION:") {
                    version = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
                }
                continue
            }
            var tokenEnd = start
            while tokenEnd < end, !isBlank(bytes[tokenEnd]) { tokenEnd += 1 }
            let token = bytes[start..<tokenEnd]
            let rule = String(decoding: token, as: UTF8.self)
            add(Self.isLowercaseASCII(token) ? rule : rule.lowercased(), section: section)
        }
    }

    /// Whether `bytes` are ASCII without a capital letter: text `lowercased()` would return unchanged, without the copy.
    static func isLowercaseASCII(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 && !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }

    private mutating func add(_ rule: String, section: Section) {
        ruleCount += 1
        var forms = [rule]
        if !rule.utf8.allSatisfy({ $0 < 0x80 }) { forms.append(contentsOf: Self.punycode(rule).map { [$0] } ?? []) }
        for form in forms {
            if form.hasPrefix("!") {
                entries[String(form.dropFirst()), default: Entry()].exception = section
            } else if form.hasPrefix("*.") {
                entries[String(form.dropFirst(2)), default: Entry()].wildcard = section
            } else {
                entries[form, default: Entry()].rule = section
            }
        }
    }

    /// The IDNA (punycode) form of a rule's labels; a leading `!` or `*.` is kept as is.
    private static func punycode(_ rule: String) -> String? {
        var prefix = ""
        var body = Substring(rule)
        if body.hasPrefix("!") {
            prefix = "!"
            body = body.dropFirst()
        } else if body.hasPrefix("*.") {
            prefix = "*."
            body = body.dropFirst(2)
        }
        var components = URLComponents()
        components.host = String(body)
        guard let encoded = components.encodedHost, encoded != String(body) else { return nil }
        return prefix + encoded.lowercased()
    }

    /// How `host` splits into public suffix and registrable domain; nil for a host that is empty,
    /// starts or ends with a dot, or has an empty label (`a..b`).
    ///
    /// - Parameter includingPrivate: false to match the ICANN section only.
    public func match(_ host: String, includingPrivate: Bool = true) -> Match? {
        // Most hosts come lowercased already (an import lowercases emails): no copy for them.
        let name = Self.isLowercaseASCII(host.utf8) ? host : host.lowercased()
        // Where each label starts, found byte by byte (`split` into substrings was half of a match's time), refusing an
        // empty label on the way: a dot where a label starts (first, or after another dot), or at the end.
        let utf8 = name.utf8
        var starts = [utf8.startIndex]
        for index in utf8.indices where utf8[index] == UInt8(ascii: ".") {
            guard index != starts[starts.count - 1] else { return nil }
            starts.append(utf8.index(after: index))
        }
        guard starts[starts.count - 1] != utf8.endIndex else { return nil }
        let count = starts.count
        // A suffix of n labels is one slice of `name`.
        func suffix(_ labels: Int) -> String { String(name[starts[count - labels]...]) }
        func allowed(_ section: Section?) -> Section? {
            guard let section else { return nil }
            return includingPrivate || section == .icann ? section : nil
        }

        var labels = 1  // the implicit "*" rule
        var prevailing: Section?
        var shorter: Entry?  // the entry of the suffix one label shorter, whose wildcard covers this one
        for length in 1...count {
            let entry = entries[suffix(length)]
            if let section = allowed(entry?.exception) {
                labels = length - 1
                prevailing = section
                break
            }
            if let section = allowed(entry?.rule) {
                labels = length
                prevailing = section
            }
            if let section = allowed(shorter?.wildcard) {
                labels = length
                prevailing = section
            }
            shorter = entry
        }
        return Match(
            publicSuffix: suffix(max(labels, 1)),
            registrableDomain: labels < count ? suffix(labels + 1) : nil,
            section: prevailing)
    }

    /// The public suffix of `host` and one more label, or nil when `host` is a public suffix itself
    /// (or not a host name).
    public func registrableDomain(of host: String, includingPrivate: Bool = true) -> String? {
        match(host, includingPrivate: includingPrivate)?.registrableDomain
    }
}
