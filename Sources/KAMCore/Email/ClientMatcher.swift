/// Finds the client an email belongs to, by rules a person can predict:
///
/// 1. an address equal to a contact's email → that contact's client, confidence 1.0;
/// 2. else the address's domain equal to exactly one client's domain → that client, confidence 0.7
///    (0.6 when only a parent domain or the bare name matches: `mail.acme.com` or `acme` for `acme.com`);
///    several clients on the domain → ambiguous, left unmatched with the candidates listed;
/// 3. else unmatched, confidence 0.
///
/// Mail sent by the team itself (the sender's domain is one of the users' domains) is outbound and
/// is matched on its To and Cc addresses instead; public mail domains (gmail.com, ...) never match by
/// domain, since thousands of unrelated people share them.
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

    public init(directory: any ClientEmailDirectory, options: Options = Options()) {
        self.directory = directory
        self.options = options
    }

    /// The client of `message`.
    ///
    /// - Throws: only what the directory throws (a store that cannot be read).
    public func match(_ message: EmailMessage) throws -> EmailClientMatch {
        guard let from = message.from, !from.address.isEmpty else {
            return EmailClientMatch(method: .unmatched, confidence: 0, reason: "the message has no From address")
        }
        let team = try directory.teamDomains()
        guard Self.belongs(from.domain, to: team) else {
            return try match(addresses: [from], direction: .inbound)
        }
        let recipients = (message.to + message.cc).filter { !Self.belongs($0.domain, to: team) }
        guard !recipients.isEmpty else {
            return EmailClientMatch(
                method: .unmatched, confidence: 0, direction: .internal, matchedAddress: from.address,
                reason: "sent by the team (\(from.domain)) to the team only: internal mail, no client")
        }
        return try match(addresses: recipients, direction: .outbound)
    }

    /// Applies the contact rule, then the domain rule, to `addresses` (the sender, or the recipients of
    /// outbound mail), in order.
    func match(addresses: [EmailAddress], direction: ActivityDirection) throws -> EmailClientMatch {
        for address in addresses {
            let found = try directory.contacts(withEmail: address.address)
            let clients = Self.unique(found.map(\.client))
            if clients.count == 1, let hit = found.first {
                return EmailClientMatch(
                    method: .contactEmail, client: hit.client, contactID: hit.contact.id,
                    confidence: options.contactConfidence, direction: direction, matchedAddress: address.address,
                    reason: "\(address.address) is the email of contact \(hit.contact.name)")
            }
            if clients.count > 1 {
                return EmailClientMatch(
                    method: .ambiguous, confidence: options.contactConfidence / Double(clients.count),
                    direction: direction, matchedAddress: address.address, candidates: clients.map(\.id).sorted(),
                    reason: "\(address.address) is a contact of \(clients.count) clients; assign it by hand")
            }
        }
        var exact: [Client] = []
        var related: [Client] = []
        var decidingAddress: [String: String] = [:]
        for address in addresses {
            let domain = address.domain
            guard !domain.isEmpty, !options.publicMailDomains.contains(domain) else { continue }
            let direct = try directory.clients(withDomains: [domain])
            for client in direct where decidingAddress[client.id] == nil { decidingAddress[client.id] = address.address }
            exact += direct
            if direct.isEmpty {
                let others = try directory.clients(withDomains: Self.relatedDomains(of: domain))
                for client in others where decidingAddress[client.id] == nil {
                    decidingAddress[client.id] = address.address
                }
                related += others
            }
        }
        let (clients, confidence) =
            exact.isEmpty
            ? (Self.unique(related), options.relatedDomainConfidence) : (Self.unique(exact), options.domainConfidence)
        switch clients.count {
        case 0:
            let shown = addresses.map(\.address).joined(separator: ", ")
            return EmailClientMatch(
                method: .unmatched, confidence: 0, direction: direction,
                reason: "no contact or client domain matches \(shown); add the contact "
                    + "(`kam import`) or set the client's domain, then ingest again")
        case 1:
            let client = clients[0]
            let address = decidingAddress[client.id]
            return EmailClientMatch(
                method: .emailDomain, client: client, confidence: confidence, direction: direction,
                matchedAddress: address,
                reason: "the domain of \(address ?? "the address") matches client \(client.name)'s domain "
                    + "\(client.domain ?? "")")
        default:
            return EmailClientMatch(
                method: .ambiguous, confidence: confidence / Double(clients.count), direction: direction,
                matchedAddress: addresses.first?.address, candidates: clients.map(\.id).sorted(),
                reason: "\(clients.count) clients share the domain (\(clients.map(\.id).sorted().joined(separator: ", "))); "
                    + "add the sender as a contact of the right client, then ingest again")
        }
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
