/// Which drafts a list asks for; nil fields do not filter.
public struct DraftFilter: Sendable, Hashable {
    public var clientID: String?
    public var status: DraftStatus?
    public var kind: DraftKind?
    /// Only drafts made by one of these users or for a client one of them owns (an access scope); nil: all.
    public var madeByOrForClientsOf: Set<String>?

    public init(
        clientID: String? = nil, status: DraftStatus? = nil, kind: DraftKind? = nil,
        madeByOrForClientsOf: Set<String>? = nil
    ) {
        self.clientID = clientID
        self.status = status
        self.kind = kind
        self.madeByOrForClientsOf = madeByOrForClientsOf
    }
}
