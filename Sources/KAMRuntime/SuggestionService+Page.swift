import KAMCore
import KAMStore

extension SuggestionService {
    /// One page of the suggestions `user` may see that match `filter` (open ones unless a status is asked
    /// for), highest priority first.
    ///
    /// For example:
    /// ```swift
    /// let urgent = try runtime.suggestions.page(SuggestionFilter(minimumPriority: 70), PageRequest(), as: maria)
    /// ```
    public func page(_ filter: SuggestionFilter, _ page: PageRequest, as user: ActingUser) throws -> Page<Suggestion> {
        var filter = filter
        filter.clientOwners = try runtime.scope(for: user).userIDs
        let fetched = try SuggestionRepository(store: runtime.store).page(
            filter, offset: page.offset, limit: page.limit + 1, now: runtime.now())
        return page.page(fetched: fetched)
    }

    /// Records a person's thumbs up or down on a suggestion, with the reason.
    /// - Throws: `RuntimeError` `.notFound` when no suggestion has `id`.
    public func addFeedback(_ id: String, rating: FeedbackRating, reason: String?, as user: ActingUser) throws {
        _ = try suggestion(id, as: user)
        try SuggestionRepository(store: runtime.store).addFeedback(
            suggestionID: id, FeedbackEntry(rating: rating, reason: reason, user: user.id, at: runtime.now()))
    }

    /// The thumbs given to a suggestion `user` may see, oldest first.
    public func feedback(_ id: String, as user: ActingUser) throws -> [FeedbackEntry] {
        _ = try suggestion(id, as: user)
        return try SuggestionRepository(store: runtime.store).feedback(suggestionID: id)
    }
}
