/// The headers of a message that name its author when someone else's server sent it: a ticketing
/// system or mailing list (`From: noreply@relay`, `Reply-To: the client`), an assistant (`Sender:`), a
/// gateway that rewrote From (`X-Original-From:`), a forward (`Resent-From:`, `X-Forwarded-From:`).
public struct RelayHeaders: Codable, Sendable, Hashable {
    public var replyTo: [EmailAddress]
    public var sender: EmailAddress?
    /// `X-Original-From` (or `X-Original-Sender`).
    public var originalFrom: EmailAddress?
    /// `Resent-From` (or `X-Forwarded-From`).
    public var resentFrom: EmailAddress?

    public init(
        replyTo: [EmailAddress] = [], sender: EmailAddress? = nil, originalFrom: EmailAddress? = nil,
        resentFrom: EmailAddress? = nil
    ) {
        self.replyTo = replyTo
        self.sender = sender
        self.originalFrom = originalFrom
        self.resentFrom = resentFrom
    }

    public var isEmpty: Bool { replyTo.isEmpty && sender == nil && originalFrom == nil && resentFrom == nil }
}
