import Foundation
import KAMCore
import KAMStore

/// Drafts a person approves: generate (optionally streamed), list, edit, approve, reject, regenerate,
/// export as an `.eml` message, mark sent, and bulk approve or reject. KAM never sends them.
///
/// Each write is one transaction that also appends the draft's history event.
public struct DraftService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any DraftStoring { runtime.draftStore }

    /// The workflow with this runtime's store, prompts, tokenizer, runners, ids and clock.
    func workflow() throws -> DraftWorkflow {
        DraftWorkflow(
            memory: runtime.clientMemory, drafts: repository, experiments: runtime.experimentStore,
            registry: runtime.registry, tokenizer: try runtime.tokenizer(), runners: runtime.runners,
            ids: runtime.ids, now: runtime.now)
    }

    /// Writes and stores a pending draft for `client` (see `DraftWorkflow`).
    ///
    /// - Parameters:
    ///   - reference: an explicit prompt version (`id@2`, `id:candidate`); nil lets a running experiment choose.
    ///   - onDelta: receives the model's answer text as it streams.
    /// - Throws: `DraftRefusal` (no consent), `PromptError`, `ContextAssemblyError`, `BudgetError`,
    ///   `ProviderError`, `PromptRunError`.
    public func generate(
        client: Client, kind: DraftKind, hint: String?, reference: String? = nil, as user: ActingUser,
        extraVariables: [String: JSONValue] = [:], onDelta: (@Sendable (String) -> Void)? = nil
    ) async throws -> Draft {
        try runtime.scope(for: user).requireClient(client)
        if kind == .supportReply, extraVariables["ticket_body"] == nil {
            throw RuntimeError(
                .invalidInput, code: "draft.reply-needs-ticket",
                "a support reply is written from its ticket: `kam tickets reply ID` or POST /tickets/{id}/reply")
        }
        return try await workflow().generate(
            client: client, kind: kind, hint: hint, reference: reference,
            attribution: try runtime.attribution(user, clientID: client.id), extraVariables: extraVariables,
            style: try runtime.style.sections(writer: user.id, clientID: client.id), onDelta: onDelta)
    }

    /// Drafts `user` may see, newest first.
    public func list(
        clientID: String? = nil, status: DraftStatus? = nil, limit: Int = 100, as user: ActingUser
    ) throws -> [Draft] {
        try repository.page(
            DraftFilter(clientID: clientID, status: status, madeByOrForClientsOf: try runtime.scope(for: user).userIDs),
            offset: 0, limit: limit)
    }

    /// The draft with `id`.
    /// - Throws: `RuntimeError` `.notFound`.
    public func draft(_ id: String, as user: ActingUser) throws -> Draft {
        guard let draft = try repository.draft(id: id) else { throw Self.notFound(id) }
        try runtime.requireDraft(draft, as: user)
        return draft
    }

    /// The draft's history, oldest first.
    public func history(_ id: String, as user: ActingUser) throws -> [DraftEvent] {
        if user.id != nil { _ = try draft(id, as: user) }
        return try repository.events(draftID: id)
    }

    /// The thumbs given to the draft, with their reasons.
    public func feedback(_ id: String, as user: ActingUser) throws
        -> [(rating: FeedbackRating, reason: String?)]
    {
        if user.id != nil { _ = try draft(id, as: user) }
        return try repository.feedback(draftID: id)
    }

    /// The low-rated drafts `user` may see (thumbs down, rejected, or approved after changing at least
    /// `heavyEditRatio` of the text), of `promptID` and created at or after `since` when given, grouped by the
    /// prompt version that wrote them with their reasons' most frequent words.
    /// - Throws: `RuntimeError` `.invalidInput` `feedback.edit-ratio` for a ratio outside 0...1.
    public func lowRated(
        promptID: String? = nil, since: Date? = nil, heavyEditRatio: Double = LowRatedOutput.defaultHeavyEditRatio,
        as user: ActingUser
    ) throws -> [FeedbackReview.Group] {
        guard (0...1).contains(heavyEditRatio) else {
            throw RuntimeError(
                .invalidInput, code: "feedback.edit-ratio",
                "the heavy-edit ratio \(heavyEditRatio) is outside 0...1; give the share of the text changed, e.g. 0.3")
        }
        let outputs = try repository.lowRated(
            DraftFilter(madeByOrForClientsOf: try runtime.scope(for: user).userIDs), promptID: promptID, since: since,
            heavyEditRatio: heavyEditRatio, limit: 5_000)
        return FeedbackReview.group(outputs)
    }

    /// Records a person's thumbs up or down on a draft.
    public func addFeedback(_ id: String, rating: FeedbackRating, reason: String?, as user: ActingUser) throws {
        _ = try draft(id, as: user)
        try repository.addFeedback(draftID: id, rating: rating, reason: reason, user: user.id, at: runtime.now())
    }

    /// Saves a person's edit of a pending draft (the model's original is kept).
    /// - Throws: `DraftTransitionError` when the draft is no longer pending; `RuntimeError` `.notFound`.
    @discardableResult
    public func edit(_ id: String, to content: DraftContent, as user: ActingUser) throws -> Draft {
        let at = runtime.now()
        return try update(id, action: "edit", user: user) { try $0.saveEdit(content, at: at) }
    }

    /// Approves a pending draft (edited-and-approved when it was edited).
    @discardableResult
    public func approve(_ id: String, as user: ActingUser) throws -> Draft {
        let at = runtime.now()
        return try update(id, action: "approve", user: user) { try $0.approve(by: user.id, at: at) }
    }

    /// Rejects a pending draft with the reason, kept for evaluation and training.
    /// - Throws: `RuntimeError` `.invalidInput` for an empty reason.
    @discardableResult
    public func reject(_ id: String, reason: String, as user: ActingUser) throws -> Draft {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RuntimeError(.invalidInput, code: "draft.reason-missing", "a rejection needs a non-empty reason")
        }
        let at = runtime.now()
        return try update(id, action: "reject", user: user, detail: reason) {
            try $0.reject(reason: reason, by: user.id, at: at)
        }
    }

    /// Writes a new draft like `id` (same client, kind and prompt; `hint` or the original's) and, when
    /// the original was still pending, rejects it as regenerated.
    /// - Throws: also `RuntimeError` `.wrongState` (`draft.reply-superseded`) for a support reply its ticket no longer
    ///   points at.
    public func regenerate(_ id: String, hint: String? = nil, as user: ActingUser) async throws -> Draft {
        let old = try draft(id, as: user)
        guard let client = try runtime.clientMemory.client(id: old.clientID) else {
            throw RuntimeError(.notFound, code: "client.not-found", "draft \(id)'s client \(old.clientID) no longer exists")
        }
        // A support reply is written again from its ticket, and the ticket then points at the new draft.
        let reply = old.kind == .supportReply ? try runtime.support.replyContext(forDraft: id, clientID: client.id) : nil
        if old.kind == .supportReply, reply == nil {
            // Its ticket points at a newer reply (this one was regenerated already), or the ticket is gone.
            throw RuntimeError(
                .wrongState, code: "draft.reply-superseded",
                "draft \(id) is a support reply that no ticket points at any more (it was regenerated, or its ticket was "
                    + "removed); regenerate the ticket's current reply, or write a new one with POST /tickets/{id}/reply")
        }
        let draft = try await generate(
            client: client, kind: old.kind, hint: hint ?? old.hint, reference: old.promptID, as: user,
            extraVariables: reply?.variables ?? [:])
        if let reply { try runtime.support.linkReply(ticketID: reply.ticketID, draftID: draft.id) }
        if old.status == .pending {
            let at = runtime.now()
            try update(id, action: "regenerate", user: user, detail: draft.id) {
                try $0.reject(reason: "regenerated as \(draft.id)", by: user.id, at: at)
            }
        }
        return draft
    }

    /// An approved draft as an RFC 5322 message (`.eml`) for a person to send from their mail program:
    /// from the client's owner, to the decision maker (else the first contact with an email).
    /// - Throws: `RuntimeError` `.wrongState` when the draft is not approved.
    public func emlMessage(_ id: String, as user: ActingUser) throws -> String {
        let draft = try draft(id, as: user)
        guard draft.status.isApproved else {
            // Only a pending draft can still be approved; a rejected or sent one never will be.
            let advice = draft.status == .pending
                ? "approve it before exporting (`kam draft approve \(id)`)"
                : "only approved drafts are exported; `kam draft regenerate \(id)` writes a new one"
            throw RuntimeError(.wrongState, code: "draft.not-approved", "draft \(id) is \(draft.status.rawValue); \(advice)")
        }
        let snapshot = try runtime.clientMemory.snapshot(clientID: draft.clientID, activitiesSince: Date(timeIntervalSince1970: 0))
        let to = snapshot?.contacts.first { $0.role == .decisionMaker && $0.email != nil }
            ?? snapshot?.contacts.first { $0.email != nil }
        return EmailWriter.message(
            from: snapshot?.owner.map { EmailAddress(name: $0.name, address: $0.email) },
            to: to.flatMap { c in c.email.map { EmailAddress(name: c.name, address: $0) } },
            subject: draft.final.subject, body: draft.final.plainText, date: runtime.now(),
            messageID: "\(draft.id)@kam.local")
    }

    /// Records that a person sent an approved draft, and logs it as an outbound email on the client.
    @discardableResult
    public func markSent(_ id: String, as user: ActingUser) throws -> Draft {
        let at = runtime.now()
        let draft = try update(id, action: "mark-sent", user: user) { try $0.markSent(at: at) }
        _ = try runtime.clientRecords.upsertActivity(
            Activity(
                clientID: draft.clientID, externalID: "draft:\(draft.id)", kind: .email, direction: .outbound,
                occurredAt: at, subject: draft.final.subject, body: draft.final.plainText))
        return draft
    }

    /// Approves each draft in `ids`; one that cannot be approved is reported, the others still are.
    public func approveAll(_ ids: [String], as user: ActingUser) -> [BulkOutcome] {
        ids.map { id in BulkOutcome(id: id) { try approve(id, as: user) } }
    }

    /// Rejects each draft in `ids` with the same reason; one that cannot be rejected is reported.
    public func rejectAll(_ ids: [String], reason: String, as user: ActingUser) -> [BulkOutcome] {
        ids.map { id in BulkOutcome(id: id) { try reject(id, reason: reason, as: user) } }
    }

    @discardableResult
    private func update(
        _ id: String, action: String, user: ActingUser, detail: String? = nil, _ change: (inout Draft) throws -> Void
    ) throws -> Draft {
        _ = try draft(id, as: user)
        return try repository.update(id: id, action: action, user: user.id, detail: detail, change)
    }

    static func notFound(_ id: String) -> RuntimeError {
        RuntimeError(.notFound, code: "draft.not-found", "no draft has id '\(id)'; `kam draft list` shows the drafts")
    }
}
