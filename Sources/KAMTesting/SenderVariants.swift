import Foundation
import KAMCore

/// Messages from every way a client's mail really arrives, each with the client it must match (or nil when
/// it must stay unmatched), over a directory of clients: for the sender-identification test and
/// `kam-bench email identify`.
///
/// Per client: a contact's exact address, its case changed, a display name, `+tag` plus-addressing, a
/// subdomain, a new person at the client's domain, and relays naming a contact or a new person through
/// Reply-To, Sender, X-Original-From, Resent-From, a forwarded message's quoted From (Gmail, Outlook,
/// Apple Mail markers; forwarded by the team or by an outside relay). Must stay unmatched: unknown
/// domains, look-alike domains (`acme-example.test`, `acme.example.evil.test`), strangers at free-mail
/// domains (also with a contact's local part), relays naming only strangers.
///
/// For example:
/// ```swift
/// let variants = SenderVariants(clients: 12)
/// let matcher = ClientMatcher(directory: variants.directory)
/// for variant in variants.all { _ = try matcher.match(try EmailParser().parse(variant.raw)) }
/// ```
public struct SenderVariants: Sendable {
    /// One message and the client it must be matched to.
    public struct Variant: Sendable {
        /// What the variant tries: `exact`, `reply-to`, `lookalike-domain`, ...
        public var kind: String
        public var raw: String
        /// The client it must match; nil when it must stay unmatched.
        public var expectedClientID: String?
    }

    public let clients: [Client]
    public let contacts: [Contact]
    public let users: [User]
    public let all: [Variant]

    /// The clients, contacts and team as an intake store (an in-memory directory).
    public var directory: InMemoryEmailIntakeStore {
        InMemoryEmailIntakeStore(clients: clients, contacts: contacts, users: users)
    }

    static let companies: [(name: String, domain: String)] = [
        ("Acme", "acme.example"), ("Globex", "globex.com"), ("Initech", "initech.io"), ("Umbrella", "umbrella.co.uk"),
        ("Hooli", "hooli.xyz"), ("Stark", "stark-industries.com"), ("Wayne", "wayne.example"), ("Wonka", "wonka.de"),
        ("Tyrell", "tyrell.corp.example"), ("Cyberdyne", "cyberdyne.net"), ("Soylent", "soylent.example"),
        ("Massive", "massive-dynamic.com"), ("Oscorp", "oscorp.io"), ("Vandelay", "vandelay.example"),
        ("Gringotts", "gringotts.co.uk"), ("Aperture", "aperture.science"),
    ]
    static let people: [(first: String, last: String)] = [
        ("jane", "smith"), ("hank", "scorpio"), ("li", "wei"), ("ana", "ruiz"), ("peter", "gibbons"),
        ("carla", "diaz"), ("omar", "haddad"), ("yuki", "tanaka"),
    ]

    /// Variants for the first `count` companies (at most 16), three contacts each, one at a free-mail address.
    public init(clients count: Int = 16) {
        let picked = Array(Self.companies.prefix(count))
        var clients: [Client] = []
        var contacts: [Contact] = []
        var variants: [Variant] = []
        let team = User(id: "maria", name: "Maria Lopez", email: "maria.lopez@kam.example")
        for (index, company) in picked.enumerated() {
            let id = company.name.lowercased()
            clients.append(Client(id: id, name: company.name, domain: company.domain, createdAt: Date(timeIntervalSince1970: 0)))
            let a = Self.people[index % Self.people.count]
            let b = Self.people[(index + 3) % Self.people.count]
            let first = "\(a.first).\(a.last)@\(company.domain)"
            let second = "\(b.first)@\(company.domain)"
            let personal = "\(b.last).\(id)@gmail.com"
            for (offset, email) in [first, second, personal].enumerated() {
                contacts.append(
                    Contact(id: Int64(index * 3 + offset + 1), clientID: id, name: "\(a.first) \(a.last)", email: email))
            }
            variants += Self.variants(client: id, domain: company.domain, contact: first, personal: personal)
        }
        let workLocalParts = contacts.compactMap(\.email).filter { !$0.hasSuffix("@gmail.com") }
            .map { String($0.split(separator: "@")[0]) }
        variants += Self.strangers(picked.map(\.domain), contactLocalParts: workLocalParts)
        self.clients = clients
        self.contacts = contacts
        self.users = [team]
        self.all = variants
    }

    /// The variants that must match `client`.
    static func variants(client: String, domain: String, contact: String, personal: String) -> [Variant] {
        let local = String(contact.split(separator: "@")[0])
        let newPerson = "new.hire@\(domain)"
        func v(_ kind: String, _ headers: [String], body: String = "Could you send the quote by Friday?") -> Variant {
            Variant(kind: kind, raw: message(headers, body: body, id: "\(kind).\(client)"), expectedClientID: client)
        }
        let relay = "From: Helpdesk <noreply@tickets.relay-mail.example>"
        return [
            v("exact", ["From: Jane <\(contact)>"]),
            v("case", ["From: \(contact.uppercased())"]),
            v("case-mixed", ["From: \"Smith, Jane\" <\(local.capitalized)@\(domain.uppercased())>"]),
            v("plus-addressing", ["From: \(local)+kam@\(domain)"]),
            v("plus-addressing-case", ["From: \(local.uppercased())+Orders@\(domain)"]),
            v("subdomain", ["From: \(local)@mail.\(domain)"]),
            v("subdomain-deep", ["From: \(local)@eu.mx.\(domain)"]),
            v("new-person", ["From: \(newPerson)"]),
            v("personal-contact", ["From: \(personal)"]),
            v("reply-to", [relay, "Reply-To: Jane <\(contact)>"]),
            v("reply-to-personal", [relay, "Reply-To: \(personal)"]),
            v("reply-to-plus", [relay, "Reply-To: \(local)+support@\(domain)"]),
            v("reply-to-new-person", [relay, "Reply-To: \(newPerson)"]),
            v("reply-to-unknown-from", ["From: someone@unknown-relay.example", "Reply-To: \(contact)"]),
            v("sender", ["From: Team list <list@groups.example>", "Sender: \(contact)"]),
            v("x-original-from", ["From: gateway@secure-mail.example", "X-Original-From: Jane <\(contact)>"]),
            v("x-original-from-new-person", ["From: gateway@secure-mail.example", "X-Original-From: \(newPerson)"]),
            v("resent-from", ["From: archive@forwarder.example", "Resent-From: \(contact)"]),
            v(
                "forwarded-gmail-by-team", ["From: Maria Lopez <maria.lopez@kam.example>", "To: intake@kam.example"],
                body: "FYI\n\n---------- Forwarded message ---------\nFrom: Jane <\(contact)>\nDate: Mon, 9 Mar 2026\n"
                    + "Subject: Quote\n\nCould you send the quote by Friday?"),
            v(
                "forwarded-outlook-by-relay", ["From: forwarder@unknown-relay.example"],
                body: "-----Original Message-----\nFrom: Smith, Jane [mailto:\(contact)]\nSent: Monday\n\nHello"),
            v(
                "forwarded-apple-quoted", ["From: noreply@tickets.relay-mail.example"],
                body: "Begin forwarded message:\n\n> From: \"Jane\" <\(contact)>\n> Subject: Quote\n\n> Hello"),
            v(
                "forwarded-new-person", ["From: maria.lopez@kam.example", "To: tom@kam.example"],
                body: "---------- Forwarded message ---------\nFrom: *\(newPerson)*\n\nHello"),
        ]
    }

    /// Messages that must stay unmatched: unknown and look-alike domains, strangers at free-mail domains,
    /// relays that name only strangers.
    static func strangers(_ domains: [String], contactLocalParts: [String]) -> [Variant] {
        var out: [Variant] = []
        func v(_ kind: String, _ headers: [String], body: String = "Hello") {
            out.append(Variant(kind: kind, raw: message(headers, body: body, id: "\(kind).\(out.count)"), expectedClientID: nil))
        }
        for (index, domain) in domains.enumerated() {
            let name = String(domain.split(separator: ".")[0])
            let local = contactLocalParts[index % contactLocalParts.count]
            v("unknown-domain", ["From: buyer@\(name)-\(index).unknown.example"])
            v("lookalike-hyphen", ["From: \(local)@\(domain.replacingOccurrences(of: ".", with: "-")).test"])
            v("lookalike-suffix", ["From: \(local)@\(domain).evil.test"])
            v("lookalike-prefix", ["From: \(local)@not\(domain)"])
            v("free-mail-stranger", ["From: \(local)@gmail.com"])
            v("free-mail-stranger-plus", ["From: \(name)+\(index)@outlook.com"])
            v("relay-stranger", ["From: noreply@tickets.relay-mail.example", "Reply-To: someone@\(name)-other.example"])
            v("relay-free-mail", ["From: noreply@tickets.relay-mail.example", "Reply-To: \(local)@yahoo.com"])
            v("sender-stranger", ["From: list@groups.example", "Sender: owner@\(name)x.example"])
            v("x-original-from-stranger", ["From: gateway@secure-mail.example", "X-Original-From: a@\(domain).evil.test"])
            v(
                "forwarded-stranger", ["From: maria.lopez@kam.example", "To: tom@kam.example"],
                body: "---------- Forwarded message ---------\nFrom: x@\(name)-\(index).unknown.example\n\nHi")
            v("team-internal", ["From: maria.lopez@kam.example", "To: tom@kam.example"], body: "From: \(local)@\(domain)")
        }
        return out
    }

    static func message(_ headers: [String], body: String, id: String) -> String {
        var lines = headers
        if !headers.contains(where: { $0.hasPrefix("To:") }) { lines.append("To: maria.lopez@kam.example") }
        lines += ["Subject: Quote", "Date: Mon, 09 Mar 2026 10:00:00 +0000", "Message-ID: <\(id)@variants.test>"]
        return (lines + ["", body]).joined(separator: "\r\n")
    }
}
