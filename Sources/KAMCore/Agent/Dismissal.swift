import Foundation

/// One person's dismissal of a suggestion, kept to teach the suggestion list (`DismissalLearning`).
public struct Dismissal: Codable, Sendable, Hashable {
    public var suggestionID: String
    /// Who dismissed it; nil for a dismissal made without a signed-in user (the CLI on a store without users).
    public var userID: String?
    public var clientID: String
    public var type: SuggestionType
    /// The rules-engine rule that proposed the suggestion; nil for the built-in rules and the model.
    public var rule: String?
    public var reason: DismissReason
    /// The person's own words, when given.
    public var note: String?
    public var at: Date

    public init(
        suggestionID: String, userID: String?, clientID: String, type: SuggestionType, rule: String?, reason: DismissReason,
        note: String?, at: Date
    ) {
        self.suggestionID = suggestionID
        self.userID = userID
        self.clientID = clientID
        self.type = type
        self.rule = rule
        self.reason = reason
        self.note = note
        self.at = at
    }

    /// `suggestion`'s dismissal for `reason` by `userID` (every store keeps it so).
    public init(dismissing suggestion: Suggestion, reason: DismissReason, note: String?, userID: String?, at: Date) {
        self.init(
            suggestionID: suggestion.id, userID: userID, clientID: suggestion.clientID, type: suggestion.type,
            rule: suggestion.rule, reason: reason, note: note, at: at)
    }

    /// What proposed the dismissed suggestion, as `Suggestion.origin` names it.
    public var origin: String { Suggestion.origin(rule: rule, type: type) }
}
