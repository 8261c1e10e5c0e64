/// What a dismissal wrote: the suggestion as dismissed, and the data-quality notification it raised (its id), if any.
public struct DismissedSuggestion: Sendable {
    public var suggestion: Suggestion
    public var dataQualityNotification: Int64?

    public init(suggestion: Suggestion, dataQualityNotification: Int64?) {
        self.suggestion = suggestion
        self.dataQualityNotification = dataQualityNotification
    }
}
