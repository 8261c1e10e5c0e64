import Foundation
import KAMCore
import KAMStore

extension SuggestionService {
    /// One page of the suggestions `user` may see that match `filter` (open ones unless a status is asked
    /// for), highest priority first.
    ///
    /// In a list of open suggestions each priority is the one `user`'s own dismissals leave
    /// (`DismissalLearning`): a suggestion of a rule they dismissed for that client ranks lower, and its
    /// `priorityChange` says by how much and why. A `minimumPriority` applies to that priority.
    ///
    /// For example:
    /// ```swift
    /// let urgent = try runtime.suggestions.page(SuggestionFilter(minimumPriority: 70), PageRequest(), as: maria)
    /// ```
    public func page(_ filter: SuggestionFilter, _ page: PageRequest, as user: ActingUser) throws -> Page<Suggestion> {
        var filter = filter
        filter.clientOwners = try runtime.scope(for: user).userIDs
        let repository = runtime.suggestionStore
        let now = runtime.now()
        let learning = filter.status == nil || filter.status == .pending ? try self.learning(for: user) : nil
        guard let learning, case let affected = learning.affected, !affected.isEmpty else {
            return page.page(fetched: try repository.page(filter, offset: page.offset, limit: page.limit + 1, now: now))
        }
        // Dismissals only lower priorities, and only of suggestions for the (client, type) pairs they name: the first
        // `offset + limit + 1` of the adjusted order are among those pairs' open suggestions and the first
        // `offset + limit + 1 + (their number)` of the stored order.
        var those = filter
        those.pairs = affected
        let changed = try repository.page(those, limit: Int.max, now: now)
        let ids = Set(changed.map(\.id))
        let (reach, overflow) = page.offset.addingReportingOverflow(page.limit + 1 + changed.count)
        let rest = try repository.page(filter, limit: overflow ? Int.max : reach, now: now).filter { !ids.contains($0.id) }
        let ranked = learning.ranked(rest + changed).filter { $0.priority >= filter.minimumPriority ?? 0 }
        return page.page(fetched: Array(ranked.dropFirst(page.offset).prefix(page.limit + 1)))
    }

    /// What `user`'s dismissals of the last `DismissalLearning.memoryDays` teach their list (an anonymous local run
    /// learns from the dismissals made without a user).
    func learning(for user: ActingUser) throws -> DismissalLearning {
        let now = runtime.now()
        let since = now.addingTimeInterval(-Double(DismissalLearning.memoryDays) * 86_400)
        return DismissalLearning(
            dismissals: try runtime.suggestionStore.dismissals(userID: user.id, since: since), now: now)
    }

    /// Records a person's thumbs up or down on a suggestion, with the reason.
    /// - Throws: `RuntimeError` `.notFound` when no suggestion has `id`.
    public func addFeedback(_ id: String, rating: FeedbackRating, reason: String?, as user: ActingUser) throws {
        _ = try suggestion(id, as: user)
        try runtime.suggestionStore.addFeedback(
            suggestionID: id, FeedbackEntry(rating: rating, reason: reason, user: user.id, at: runtime.now()))
    }

    /// The thumbs given to a suggestion `user` may see, oldest first.
    public func feedback(_ id: String, as user: ActingUser) throws -> [FeedbackEntry] {
        _ = try suggestion(id, as: user)
        return try runtime.suggestionStore.feedback(suggestionID: id)
    }
}
