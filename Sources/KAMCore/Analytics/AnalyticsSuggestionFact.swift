/// One suggestion, or one decision about one, as analytics counts it (`AnalyticsReading.suggestions`,
/// `suggestionDecisions`), with the owner of its client.
public struct AnalyticsSuggestionFact: Sendable, Hashable {
    public var type: String
    public var status: SuggestionStatus
    public var clientOwnerID: String?
    /// What proposed it (`Suggestion.origin`); nil where not read (a week's decisions).
    public var origin: String?
    /// A dismissed suggestion's kind (`DismissReason`'s raw value); nil otherwise or when not recorded.
    public var dismissKind: String?

    public init(
        type: String, status: SuggestionStatus, clientOwnerID: String?, origin: String? = nil,
        dismissKind: String? = nil
    ) {
        self.type = type
        self.status = status
        self.clientOwnerID = clientOwnerID
        self.origin = origin
        self.dismissKind = dismissKind
    }

    /// The origin of a suggestion of type `type` whose evidence names `rule` (the first of kind `rule`): the
    /// rule, or `built-in <type>` for a type this kam knows, else the type itself. One rule for every store.
    public static func origin(type: String, rule: String?) -> String {
        SuggestionType(rawValue: type).map { Suggestion.origin(rule: rule, type: $0) } ?? rule ?? type
    }
}
