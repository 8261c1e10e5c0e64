import Foundation

/// Drafts, their history and their feedback, wherever they are kept: `KAMStore.DraftRepository` (SQLite) and
/// `KAMPostgres.PostgresDraftStore` implement it; `DraftWorkflow` stores the drafts it writes through it.
///
/// Every write is one transaction with its history entry (`draft_events`) and its domain event. Two stores
/// behave alike, listings' orders and ties included (`DraftStoreConformanceTests`); in particular a change is
/// applied to the draft as it is when it commits: of two decisions on one pending draft taken at once, by two
/// processes or two threads, exactly one is stored and the other gets the `DraftTransitionError` the core's
/// transition throws, with no history entry and no event.
///
/// For example:
/// ```swift
/// try drafts.insert(draft)
/// let approved = try drafts.update(id: draft.id, action: "approve", user: "ana", detail: nil) {
///     try $0.approve(by: "ana", at: now)
/// }
/// ```
public protocol DraftStoring: Sendable {
    /// Stores a new draft (pending) with its first history entry and its `draft.created` event.
    func insert(_ draft: Draft) throws

    /// Loads the draft `id`, applies `change` and saves it with its history entry (`action`, by `user`, with
    /// `detail`) and, for an approval, a rejection, a sending or an edit, its domain event, in one transaction.
    ///
    /// `change` may run more than once (a store that checks for concurrent changes when it saves runs it again on
    /// the draft as another process left it), so it must only change the draft it is given.
    /// - Throws: what `change` throws (`DraftTransitionError`), nothing stored; a store error naming the id when
    ///   no draft has it.
    @discardableResult
    func update(
        id: String, action: String, user: String?, detail: String?, _ change: (inout Draft) throws -> Void
    ) throws -> Draft

    /// The draft with `id`, or nil.
    func draft(id: String) throws -> Draft?

    /// Up to `limit` drafts matching `filter`, newest first (ties by id, descending), skipping the first `offset`.
    func page(_ filter: DraftFilter, offset: Int, limit: Int) throws -> [Draft]

    /// Approved drafts (approved, edited-and-approved, sent) created at or after `since`, of `promptID` when
    /// given, oldest first (ties by id): what a training export reads.
    func approved(since: Date?, promptID: String?) throws -> [Draft]

    /// The history of a draft, oldest first.
    func events(draftID: String) throws -> [DraftEvent]

    /// Records a person's thumbs up or down on a draft, with its `feedback.recorded` event.
    /// - Throws: a store error naming the id when no draft has it.
    func addFeedback(draftID: String, rating: FeedbackRating, reason: String?, user: String?, at: Date) throws

    /// The feedback on a draft, oldest first.
    func feedback(draftID: String) throws -> [(rating: FeedbackRating, reason: String?)]

    /// The drafts matching `filter` (created at or after `since`, of `promptID` when given) that are low-rated, each
    /// with what made it low; newest first, at most `limit` candidates read.
    func lowRated(
        _ filter: DraftFilter, promptID: String?, since: Date?, heavyEditRatio: Double, limit: Int
    ) throws -> [LowRatedOutput]

    /// The drafts approved (or sent) after a person's edit, decided by `userID` and for `clientID` when given,
    /// the newest decision first (ties by id, descending).
    func approvedEdits(decidedBy userID: String?, clientID: String?, limit: Int) throws -> [Draft]

    /// The model's body and the approved body of the same drafts as `approvedEdits` (of `promptID`'s drafts when
    /// given), in the same order, without decoding whole drafts.
    func editedBodies(
        decidedBy userID: String?, clientID: String?, promptID: String?, limit: Int
    ) throws -> [(original: String, final: String)]
}

extension DraftStoring {
    /// Drafts newest first, optionally for one client and in one status.
    public func list(clientID: String? = nil, status: DraftStatus? = nil, limit: Int = 100) throws -> [Draft] {
        try page(DraftFilter(clientID: clientID, status: status), offset: 0, limit: limit)
    }
}
