import Foundation

/// Where suggestions and the decisions on them are kept: `KAMStore.SuggestionRepository` (SQLite) and
/// `KAMPostgres.PostgresSuggestionStore` implement it, with the same behaviour (`SuggestionStoreConformanceTests`).
///
/// At most one open (pending or snoozed) suggestion of a type for a target: adding a duplicate is a no-op,
/// even from two processes at once. Each write appends its domain events in its own transaction. A decision
/// on a suggestion that is no longer open is refused with `StoreError` `.invalidValue` naming its status; of
/// two racing decisions exactly one wins.
///
/// For example:
///
///     let stored = try suggestions.add(proposed, now: now)
///     try suggestions.decide(id: stored[0].id) { $0.status = .accepted; $0.artifact = "task:12" }
public protocol SuggestionStoring: Sendable {
    /// Stores the suggestions that are not duplicates of an open one, each with its `suggestion.created` event;
    /// returns those stored. Expired pending suggestions are marked expired first (unless the caller just did,
    /// with `expirePending`), so they no longer block new ones.
    @discardableResult
    func add(_ suggestions: [Suggestion], now: Date, expiringFirst: Bool) throws -> [Suggestion]

    /// The suggestion with `id`, nil when there is none.
    func suggestion(id: String) throws -> Suggestion?

    /// Changes a suggestion that is still open (pending or snoozed), with its `suggestion.accepted`, `.dismissed`
    /// or `.snoozed` event. - Throws: `StoreError` `.invalidValue` when there is none or it is no longer open.
    @discardableResult
    func decide(id: String, _ change: (inout Suggestion) throws -> Void) throws -> Suggestion

    /// Marks every pending suggestion whose time is up as expired, each with its `suggestion.expired` event; how
    /// many were.
    @discardableResult
    func expirePending(now: Date) throws -> Int

    /// Up to `limit` suggestions matching `filter`, highest priority first (then oldest, then by id), skipping the
    /// first `offset`. A pending suggestion whose time is up at `now` counts as expired (listing never writes).
    func page(_ filter: SuggestionFilter, offset: Int, limit: Int, now: Date) throws -> [Suggestion]

    /// The id of another open suggestion of the same client, type and target as `suggestion`, if one exists.
    func pendingTwin(of suggestion: Suggestion) throws -> String?

    /// Puts an accepted suggestion back to pending with no artifact, with its `suggestion.reopened` event.
    /// - Throws: `StoreError` `.invalidValue` when it is not accepted, or another open one has taken its place.
    @discardableResult
    func reopen(id: String) throws -> Suggestion

    /// Marks resolved the open rule suggestions of a client whose dedup keys are not in `proposed`, each with
    /// `reason` as its resolution and its `suggestion.resolved` event; returns them.
    @discardableResult
    func resolve(clientID: String, keeping proposed: Set<String>, reason: String) throws -> [Suggestion]

    /// Dismisses open suggestion `id` as `reason`: its `suggestion.dismissed` event, the dismissal kept for
    /// `DismissalLearning`, and the data-quality notification to `userID` that it may raise, in one transaction.
    func dismiss(id: String, reason: DismissReason, note: String?, userID: String?, now: Date) throws
        -> DismissedSuggestion

    /// `userID`'s dismissals at or after `since`, newest first.
    func dismissals(userID: String?, since: Date) throws -> [Dismissal]

    /// Records a thumbs up or down on a suggestion with its `feedback.recorded` event.
    /// - Throws: `StoreError` `.invalidValue` when no suggestion has `suggestionID`.
    func addFeedback(suggestionID: String, _ entry: FeedbackEntry) throws

    /// The feedback on a suggestion, oldest first.
    func feedback(suggestionID: String) throws -> [FeedbackEntry]
}

extension SuggestionStoring {
    /// `add` expiring first.
    @discardableResult
    public func add(_ suggestions: [Suggestion], now: Date) throws -> [Suggestion] {
        try add(suggestions, now: now, expiringFirst: true)
    }

    /// `page` from the start.
    public func page(_ filter: SuggestionFilter, limit: Int, now: Date) throws -> [Suggestion] {
        try page(filter, offset: 0, limit: limit, now: now)
    }

    /// Pending suggestions (and snoozed ones whose time has come), highest priority first.
    public func pending(
        clientID: String? = nil, type: SuggestionType? = nil, minimumPriority: Int? = nil, now: Date
    ) throws -> [Suggestion] {
        try page(
            SuggestionFilter(clientID: clientID, type: type, minimumPriority: minimumPriority), limit: Int.max, now: now
        )
    }
}
