import Foundation

/// Which suggestions a list asks for; nil fields do not filter. A nil or `pending` status lists the open
/// ones: pending, and snoozed ones whose time has come.
public struct SuggestionFilter: Sendable, Hashable {
    public var clientID: String?
    public var type: SuggestionType?
    public var minimumPriority: Int?
    public var status: SuggestionStatus?
    /// Only suggestions for clients one of these users owns (an access scope); nil: all.
    public var clientOwners: Set<String>?
    /// Only suggestions of one of these clients and types; nil: all.
    public var pairs: Set<ClientAndType>?

    public init(
        clientID: String? = nil, type: SuggestionType? = nil, minimumPriority: Int? = nil,
        status: SuggestionStatus? = nil,
        clientOwners: Set<String>? = nil
    ) {
        self.clientID = clientID
        self.type = type
        self.minimumPriority = minimumPriority
        self.status = status
        self.clientOwners = clientOwners
    }
}
