/// One address that may name who wrote a message, with where it was found and how much it is trusted.
///
/// `SenderIdentity.all(of:)` lists them in the order `ClientMatcher` tries them: From first, then what a
/// relay or a forward leaves (X-Original-From, Reply-To, Resent-From, Sender, the quoted original's From).
public struct SenderIdentity: Sendable, Hashable {
    /// Where the address was found.
    public enum Source: String, Codable, Sendable, Hashable, CaseIterable {
        case from
        case originalFrom = "x-original-from"
        case replyTo = "reply-to"
        case resentFrom = "resent-from"
        case sender
        /// The `From:` line of a forwarded or quoted original in the body.
        case quotedFrom = "quoted-from"

        /// The header's name as people write it, for reasons.
        public var label: String {
            switch self {
            case .from: "From"
            case .originalFrom: "X-Original-From"
            case .replyTo: "Reply-To"
            case .resentFrom: "Resent-From"
            case .sender: "Sender"
            case .quotedFrom: "the forwarded message's From"
            }
        }

        /// How much a match through this source is worth against one through From (1.0): a relay's header
        /// is set by software the client uses, a quoted line is text anyone can type.
        public var weight: Double {
            switch self {
            case .from: 1.0
            case .originalFrom, .replyTo, .resentFrom: 0.9
            case .sender: 0.85
            case .quotedFrom: 0.8
            }
        }
    }

    public var address: EmailAddress
    public var source: Source

    public init(_ address: EmailAddress, source: Source) {
        self.address = address
        self.source = source
    }

    /// Every identity of `message`, From first, each address once (its first source wins).
    public static func all(of message: EmailMessage) -> [SenderIdentity] {
        var out: [SenderIdentity] = []
        if let from = message.from { out.append(SenderIdentity(from, source: .from)) }
        if let relay = message.relay {
            if let original = relay.originalFrom { out.append(SenderIdentity(original, source: .originalFrom)) }
            out += relay.replyTo.map { SenderIdentity($0, source: .replyTo) }
            if let resent = relay.resentFrom { out.append(SenderIdentity(resent, source: .resentFrom)) }
            if let sender = relay.sender { out.append(SenderIdentity(sender, source: .sender)) }
        }
        if let quoted = QuotedOriginal.from(message.text) { out.append(SenderIdentity(quoted, source: .quotedFrom)) }
        var seen: Set<String> = []
        return out.filter { !$0.address.address.isEmpty && seen.insert($0.address.address).inserted }
    }

    /// The address without its `+tag` (`jane+kam@acme.com` → `jane@acme.com`), or nil when it has none.
    public static func withoutTag(_ address: EmailAddress) -> EmailAddress? {
        let parts = address.address.split(separator: "@", maxSplits: 1)
        guard parts.count == 2, let plus = parts[0].firstIndex(of: "+"), plus != parts[0].startIndex else { return nil }
        return EmailAddress(name: address.name, address: "\(parts[0][..<plus])@\(parts[1])")
    }

    /// True for addresses no person reads (`noreply@`, `notifications@`, `mailer-daemon@`): when such an
    /// address sends, the author is in another header.
    public static func isAutomated(_ address: EmailAddress) -> Bool {
        let local = address.address.split(separator: "@").first.map { $0.lowercased() } ?? ""
        let plain = local.filter { $0.isLetter }
        return automatedLocalParts.contains(plain) || automatedLocalParts.contains { plain.hasPrefix($0) && $0.count >= 7 }
    }

    /// Local parts (letters only) of addresses that send for someone else.
    static let automatedLocalParts: Set<String> = [
        "noreply", "donotreply", "notifications", "notification", "notify", "mailerdaemon", "postmaster", "bounce",
        "bounces", "mailer", "relay", "automated", "system", "support", "helpdesk", "tickets", "forwarding",
    ]
}
