/// A person's thumbs up or down on a draft or a suggestion.
public enum FeedbackRating: String, Sendable, Codable {
    case up, down
}
