/// Finds the client an email belongs to, by rules a person can predict:
///
/// 1. an address equal to a contact's email (case-insensitively; else without its `+tag`) → that
///    contact's client, confidence 1.0 (0.95 without the tag);
/// 2. else the address's domain equal to exactly one client's domain → that client, confidence 0.7
///    (0.6 when only a parent domain or the bare name matches: `mail.acme.com` or `acme` for `acme.com`);
///    several clients on the domain → ambiguous, left unmatched with the candidates listed;
/// 3. else unmatched, confidence 0.
///
/// The rules run on From first. Mail a relay sent (a ticketing system's `noreply@`, a mailing list, a
/// gateway that rewrites From) names its author elsewhere: when From finds no contact (and, for a person's
/// From, no client domain), the rules run on X-Original-From, Reply-To, Resent-From, Sender and the
/// forwarded message's quoted From, in that order (`SenderIdentity`), at a lower confidence
/// (`SenderIdentity.Source.weight`); the match records which one decided (`via`) and why.
///
/// Mail sent by the team itself (the sender's domain is one of the users' domains) is outbound and is
/// matched on its To and Cc addresses instead; team mail to the team only is internal, unless it forwards
/// a message from outside, which is then matched as that message. Public mail domains (gmail.com, ...)
/// never match by domain, since thousands of unrelated people share them; an address at a domain no
/// client has never matches by domain.
public struct ClientMatcher: Sendable {
    public var directory: any ClientEmailDirectory
    public var options: Options

    public struct Options: Sendable, Hashable {
        public var contactConfidence: Double
        public var domainConfidence: Double
        public var relatedDomainConfidence: Double
        /// Domains anyone can have an address at; never matched by domain.
        public var publicMailDomains: Set<String>

        public init(
            contactConfidence: Double = 1.0, domainConfidence: Double = 0.7, relatedDomainConfidence: Double = 0.6,
            publicMailDomains: Set<String> = Options.defaultPublicMailDomains
        ) {
            self.contactConfidence = contactConfidence
            self.domainConfidence = domainConfidence
            self.relatedDomainConfidence = relatedDomainConfidence
            self.publicMailDomains = publicMailDomains
        }

        public static let defaultPublicMailDomains: Set<String> = [
            "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
            "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.com",
            "gmx.de", "gmx.net", "web.de", "mail.com", "zoho.com", "yandex.com", "yandex.ru", "mail.ru", "qq.com",
            "163.com", "126.com", "fastmail.com", "hey.com", "tutanota.com",
        ]
    }

    /// How much a match through a contact's address without its `+tag` is worth against the exact address.
    static let untaggedWeight = 0.95

    public init(directory: any ClientEmailDirectory, options: Options = Options()) {
        self.directory = directory
        self.options = options
    }

    /// The client of `message`.
    ///
    /// - Throws: only what the directory throws (a store that cannot be read).
    public func match(_ message: EmailMessage) throws -> EmailClientMatch {
        let identities = SenderIdentity.all(of: message)
        guard let from = message.from, !from.address.isEmpty else {
            guard !identities.isEmpty else {
                return EmailClientMatch(method: .unmatched, confidence: 0, reason: "the message has no From address")
            }
            return try inbound(identities)
        }
        let team = try directory.teamDomains()
        guard Self.belongs(from.domain, to: team) else {
            return try inbound(identities.filter { $0.source == .from || !Self.belongs($0.address.domain, to: team) })
        }
        let recipients = (message.to + message.cc).filter { !Self.belongs($0.domain, to: team) }
        guard !recipients.isEmpty else {
            let forwarded = identities.filter { $0.source != .from && !Self.belongs($0.address.domain, to: team) }
            guard !forwarded.isEmpty else {
                return EmailClientMatch(
                    method: .unmatched, confidence: 0, direction: .internal, matchedAddress: from.address,
                    reason: "sent by the team (\(from.domain)) to the team only: internal mail, no client")
            }
            var match = try inbound(forwarded)
            match.reason = "forwarded by \(from.address) from the team: " + match.reason
            return match
        }
        return try outbound(recipients)
    }

    /// Mail from outside: contact, then domain, on From; then on the relay identities.
    func inbound(_ identities: [SenderIdentity]) throws -> EmailClientMatch {
        let from = identities.first { $0.source == .from }
        let relays = identities.filter { $0.source != .from }
        let automated = from.map { SenderIdentity.isAutomated($0.address) } ?? false
        let note = from.map { from in automated ? " (From \(from.address.address) sends for others)" : "" } ?? ""
        if let from {
            if let match = try contactMatch(from, direction: .inbound, note: "") { return match }
            if !automated, let match = try domainMatch([from], direction: .inbound, note: "") { return match }
        }
        for relay in relays {
            if let match = try contactMatch(relay, direction: .inbound, note: note) { return match }
        }
        if let match = try domainMatch(relays + (automated ? [from!] : []), direction: .inbound, note: note) {
            return match
        }
        return unmatched(identities.map(\.address), direction: .inbound)
    }

    /// Team mail to clients: the rules on the recipients, in order.
    func outbound(_ recipients: [EmailAddress]) throws -> EmailClientMatch {
        for address in recipients {
            if var match = try contactMatch(SenderIdentity(address, source: .from), direction: .outbound, note: "") {
                match.via = nil
                return match
            }
        }
        let identities = recipients.map { SenderIdentity($0, source: .from) }
        if var match = try domainMatch(identities, direction: .outbound, note: "") {
            match.via = nil
            return match
        }
        return unmatched(recipients, direction: .outbound)
    }

    /// The contact rule on one identity: its exact address, else the address without its `+tag`.
    func contactMatch(_ identity: SenderIdentity, direction: ActivityDirection, note: String) throws
        -> EmailClientMatch?
    {
        let tries = [(identity.address, 1.0)] + (SenderIdentity.withoutTag(identity.address).map { [($0, Self.untaggedWeight)] } ?? [])
        let header = direction == .inbound && identity.source != .from ? identity.source.label + " " : ""
        for (address, factor) in tries {
            let found = try directory.contacts(withEmail: address.address)
            let clients = Self.unique(found.map(\.client))
            let confidence = options.contactConfidence * identity.source.weight * factor
            let shown = address == identity.address ? address.address : "\(identity.address.address) (untagged)"
            if clients.count == 1, let hit = found.first {
                return EmailClientMatch(
                    method: .contactEmail, client: hit.client, contactID: hit.contact.id, confidence: confidence,
                    direction: direction, matchedAddress: identity.address.address, via: identity.source,
                    reason: "\(header)\(shown) is the email of contact \(hit.contact.name)\(note)")
            }
            if clients.count > 1 {
                return EmailClientMatch(
                    method: .ambiguous, confidence: confidence / Double(clients.count), direction: direction,
                    matchedAddress: identity.address.address, via: identity.source,
                    candidates: clients.map(\.id).sorted(),
                    reason: "\(header)\(shown) is a contact of \(clients.count) clients; assign it by hand")
            }
        }
        return nil
    }

    /// The domain rule over `identities` together: nil when no client has any of their domains.
    func domainMatch(_ identities: [SenderIdentity], direction: ActivityDirection, note: String) throws
        -> EmailClientMatch?
    {
        var exact: [Client] = []
        var related: [Client] = []
        var deciding: [String: SenderIdentity] = [:]
        for identity in identities {
            let domain = identity.address.domain
            guard !domain.isEmpty, !options.publicMailDomains.contains(domain) else { continue }
            let direct = try directory.clients(withDomains: [domain])
            for client in direct where deciding[client.id] == nil { deciding[client.id] = identity }
            exact += direct
            if direct.isEmpty {
                let others = try directory.clients(withDomains: Self.relatedDomains(of: domain))
                for client in others where deciding[client.id] == nil { deciding[client.id] = identity }
                related += others
            }
        }
        let (clients, base) =
            exact.isEmpty
            ? (Self.unique(related), options.relatedDomainConfidence) : (Self.unique(exact), options.domainConfidence)
        guard let first = clients.first, let identity = deciding[first.id] else { return nil }
        let confidence = base * identity.source.weight
        guard clients.count == 1 else {
            let ids = clients.map(\.id).sorted()
            return EmailClientMatch(
                method: .ambiguous, confidence: confidence / Double(clients.count), direction: direction,
                matchedAddress: identity.address.address, via: identity.source, candidates: ids,
                reason: "\(clients.count) clients share the domain (\(ids.joined(separator: ", "))); "
                    + "add the sender as a contact of the right client, then ingest again")
        }
        let header = direction == .inbound && identity.source != .from ? identity.source.label + " " : ""
        return EmailClientMatch(
            method: .emailDomain, client: first, confidence: confidence, direction: direction,
            matchedAddress: identity.address.address, via: identity.source,
            reason: "the domain of \(header)\(identity.address.address) matches client \(first.name)'s domain "
                + "\(first.domain ?? "")\(note)")
    }

    func unmatched(_ addresses: [EmailAddress], direction: ActivityDirection) -> EmailClientMatch {
        let shown = addresses.map(\.address).joined(separator: ", ")
        return EmailClientMatch(
            method: .unmatched, confidence: 0, direction: direction,
            reason: "no contact or client domain matches \(shown); add the contact "
                + "(`kam import`) or set the client's domain, then ingest again")
    }

    /// Parent domains with at least two labels, then the bare names: for `mail.acme.co` →
    /// `acme.co`, `mail`, `acme`. A client's domain is sometimes stored without its suffix.
    static func relatedDomains(of domain: String) -> [String] {
        let labels = domain.split(separator: ".").map(String.init)
        guard labels.count >= 2 else { return [] }
        var out: [String] = []
        for start in 1..<labels.count where labels.count - start >= 2 {
            out.append(labels[start...].joined(separator: "."))
        }
        for label in labels.dropLast() where !out.contains(label) { out.append(label) }
        return out
    }

    /// True when `domain` is one of `domains` or a subdomain of one.
    static func belongs(_ domain: String, to domains: Set<String>) -> Bool {
        let domain = domain.lowercased()
        if domains.contains(domain) { return true }
        return domains.contains { !$0.isEmpty && domain.hasSuffix("." + $0) }
    }

    static func unique(_ clients: [Client]) -> [Client] {
        var seen: Set<String> = []
        return clients.filter { seen.insert($0.id).inserted }
    }
}
