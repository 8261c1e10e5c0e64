/// Which client an email belongs to, how sure KAM is, and why.
///
/// An ambiguous match (several clients share the domain) is unmatched: `client` is nil and
/// `candidates` lists the clients a person can choose from.
public struct EmailClientMatch: Codable, Sendable, Hashable {
    public enum Method: String, Codable, Sendable, Hashable, CaseIterable {
        /// An address equals a contact's email: confidence 1.0.
        case contactEmail = "contact-email"
        /// An address's domain equals exactly one client's domain: confidence about 0.7.
        case emailDomain = "email-domain"
        /// Several clients fit equally well: left unmatched, with the candidates.
        case ambiguous
        /// Nothing fits.
        case unmatched
    }

    public var method: Method
    /// The matched client (nil unless `method` is `contactEmail` or `emailDomain`).
    public var client: Client?
    /// The contact whose address matched, for `contactEmail`.
    public var contactID: Int64?
    /// From 0 (no match) to 1 (a known contact's exact address).
    public var confidence: Double
    /// `inbound` for mail from outside the team, `outbound` for team mail to a client, `internal` for
    /// team mail among the team.
    public var direction: ActivityDirection
    /// The address that decided the match.
    public var matchedAddress: String?
    /// Where that address was found: From, or a relay's header (Reply-To, Sender, X-Original-From,
    /// Resent-From) or a forwarded message's From line; nil for outbound mail and old matches.
    public var via: SenderIdentity.Source?
    /// Ids of the clients an ambiguous match could belong to, by id.
    public var candidates: [String]
    /// Why this match, in words a person reads in `kam email show`.
    public var reason: String

    public init(
        method: Method, client: Client? = nil, contactID: Int64? = nil, confidence: Double,
        direction: ActivityDirection = .inbound, matchedAddress: String? = nil, via: SenderIdentity.Source? = nil,
        candidates: [String] = [], reason: String
    ) {
        self.method = method
        self.client = client
        self.contactID = contactID
        self.confidence = confidence
        self.direction = direction
        self.matchedAddress = matchedAddress
        self.via = via
        self.candidates = candidates
        self.reason = reason
    }

    public var isMatched: Bool { client != nil }
    public var clientID: String? { client?.id }

    /// The match of a message that could not be read.
    public static func unreadable(_ reason: String) -> EmailClientMatch {
        EmailClientMatch(method: .unmatched, confidence: 0, reason: reason)
    }
}
