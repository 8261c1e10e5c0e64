import Foundation
import KAMCore

/// What the domain of an email address says about the company behind it.
///
/// The company is the registrable domain under the Public Suffix List (`jane@mail.alpha.co.uk` →
/// `alpha.co.uk`; `x@alice.github.io` → `alice.github.io`), never a shorter tail, so two companies
/// under one suffix (`alpha.tech`, `bravo.tech`) stay two. A free-mail provider's domain
/// (`gmail.com`, `yahoo.co.uk`, ...: the list in `Resources/free-mail-domains.txt`) names no company.
/// A bare name without a dot that is not itself a listed suffix (`taylor@nanolabs`, as the workbench
/// export writes its addresses) is taken as the company's own name.
///
/// For example:
///
///     let domains = try CompanyDomains.bundled()
///     domains.owner(ofHost: "sales.acme.com.au")   // .company("acme.com.au")
///     domains.owner(ofHost: "gmail.com")           // .freeMail("gmail.com")
///     domains.owner(ofHost: "co.uk")               // .publicSuffix("co.uk")
public struct CompanyDomains: Sendable {
    /// Whose a domain is.
    public enum Owner: Sendable, Equatable {
        /// A company: its registrable domain (`alpha.co.uk`), or a bare name (`nanolabs`).
        case company(String)
        /// A free-mail provider: its registrable domain.
        case freeMail(String)
        /// The host is a public suffix itself (`co.uk`, `github.io`): nobody's in particular.
        case publicSuffix(String)
        /// Not a host name (empty, a leading or trailing dot, an empty label, spaces).
        case invalid
    }

    public let suffixes: PublicSuffixList
    /// Registrable domains of free-mail providers, lowercased.
    public let freeMail: Set<String>

    public init(suffixes: PublicSuffixList, freeMail: Set<String>) {
        self.suffixes = suffixes
        self.freeMail = Set(freeMail.map { $0.lowercased() })
    }

    /// The snapshot of the Public Suffix List and the free-mail list shipped with KAM, read once.
    ///
    /// - Throws: `StoreError` `.cannotOpen` when the resources are missing from the installation.
    public static func bundled() throws -> CompanyDomains {
        try loaded.get()
    }

    private static let loaded: Result<CompanyDomains, StoreError> = Result {
        func text(_ name: String, _ ext: String, _ folder: String) throws -> String {
            guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: folder),
                let text = try? String(contentsOf: url, encoding: .utf8)
            else {
                throw StoreError(
                    .cannotOpen,
                    "the resource \(folder)/\(name).\(ext) is missing from this kam installation; reinstall kam")
            }
            return text
        }
        let suffixes = PublicSuffixList(text: try text("public_suffix_list", "dat", "Resources/publicsuffix"))
        let freeMail = try text("free-mail-domains", "txt", "Resources")
        return CompanyDomains(suffixes: suffixes, freeMail: parseList(freeMail))
    }.mapError { $0 as? StoreError ?? StoreError(.cannotOpen, "\($0)") }

    /// The domains of a one-a-line list with `#` comments.
    public static func parseList(_ text: String) -> Set<String> {
        Set(
            text.split(whereSeparator: \.isNewline).compactMap { line in
                let entry = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                    .trimmingCharacters(in: .whitespaces).lowercased()
                return entry.isEmpty ? nil : entry
            })
    }

    /// Whose `host` (the part of an email address after `@`) is.
    public func owner(ofHost host: String) -> Owner {
        guard !Self.hasSpaceOrAt(host), let match = suffixes.match(host) else { return .invalid }
        if let registrable = match.registrableDomain {
            return freeMail.contains(registrable) ? .freeMail(registrable) : .company(registrable)
        }
        let name = host.lowercased()
        // One label that no rule lists: a company's bare name, not a top-level domain.
        if match.section == nil, !name.utf8.contains(UInt8(ascii: ".")) { return .company(name) }
        return .publicSuffix(name)
    }

    /// Whether `host` holds white space or an `@`. Byte by byte while it is ASCII: a `Character`'s `isWhitespace`
    /// looks up Unicode properties, a cost on every row of a CSV import whose rows each name another host.
    static func hasSpaceOrAt(_ host: String) -> Bool {
        var found = false
        for byte in host.utf8 {
            // Beyond ASCII, characters decide (`@` and a combining mark are one character, and not an `@`).
            guard byte < 0x80 else { return host.contains { $0.isWhitespace || $0 == "@" } }
            // Unicode's White_Space in ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
            if byte == UInt8(ascii: "@") || byte == 0x20 || (0x09...0x0D).contains(byte) { found = true }
        }
        return found
    }

    /// The company domain of a website address (`https://www.acme.co.uk/about` → `acme.co.uk`), as CRM exports
    /// give it; nil for a free-mail host, a public suffix or text that is no host.
    public func companyDomain(ofWebsite website: String) -> String? {
        var host = website.trimmingCharacters(in: .whitespaces).lowercased()
        if let scheme = host.range(of: "://") { host = String(host[scheme.upperBound...]) }
        host = String(host.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" })
        if host.hasPrefix("www.") { host.removeFirst(4) }
        guard case .company(let domain) = owner(ofHost: host) else { return nil }
        return domain
    }

    /// The company a registrable domain names: its first label in words
    /// (`acme-corp.co.uk` → "Acme Corp", `alice.github.io` → "Alice", `nanolabs` → "Nanolabs").
    public static func companyName(ofRegistrableDomain domain: String) -> String {
        let label = domain.split(separator: ".").first.map(String.init) ?? domain
        let words = label.split(whereSeparator: { $0 == "-" || $0 == "_" })
        return words.isEmpty ? label : words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    /// The client name kam gave an email domain before it used the Public Suffix List: the last
    /// label left after dropping a few generic endings (`alpha.tech` and `bravo.tech` → "Tech",
    /// `x.com.au` → "Au"). Kept only to recognise the clients that rule merged, so that a re-import
    /// can report them (`ImportSummary.mergedClients`); never used to name a client.
    static func legacyName(ofHost host: String) -> String {
        var labels = host.split(separator: ".")
        while labels.count > 1, legacyGenericEndings.contains(labels.last!.lowercased()) { labels.removeLast() }
        let main = labels.last ?? Substring(host)
        return main.split(whereSeparator: { $0 == "-" || $0 == "_" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: " ")
    }

    /// The endings `legacyName(ofHost:)` drops, made once: a CSV import asks for the name of every domain of its file.
    private static let legacyGenericEndings: Set<String> = ["com", "org", "net", "io", "co", "de", "fr", "uk", "biz", "info", "eu", "ai"]
}
