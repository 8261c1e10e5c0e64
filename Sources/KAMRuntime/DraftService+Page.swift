import KAMCore

extension DraftService {
    /// One page of the drafts `user` may see that match `filter`, newest first.
    ///
    /// For example:
    /// ```swift
    /// let first = try runtime.drafts.page(DraftFilter(status: .pending), PageRequest(limit: 20), as: maria)
    /// ```
    public func page(_ filter: DraftFilter, _ page: PageRequest, as user: ActingUser) throws -> Page<Draft> {
        var filter = filter
        filter.madeByOrForClientsOf = try runtime.scope(for: user).userIDs
        let fetched = try runtime.draftStore.page(filter, offset: page.offset, limit: page.limit + 1)
        return page.page(fetched: fetched)
    }
}
