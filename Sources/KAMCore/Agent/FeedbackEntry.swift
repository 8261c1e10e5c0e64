import Foundation

/// One thumbs up or down, with who gave it and when.
public struct FeedbackEntry: Sendable, Hashable, Codable {
    public var rating: FeedbackRating
    public var reason: String?
    public var user: String?
    public var at: Date

    public init(rating: FeedbackRating, reason: String?, user: String?, at: Date) {
        self.rating = rating
        self.reason = reason
        self.user = user
        self.at = at
    }
}
