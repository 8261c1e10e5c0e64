import Foundation
import KAMCore
import KAMStore

/// What KAM proposes and what a person decides: run the rules (and optionally the model's next best
/// actions), list, accept (a pending task or a pending draft, never a sent message), dismiss with a
/// reason, snooze, and undo an accept.
///
/// For example:
/// ```swift
/// let run = try await runtime.suggestions.run(clientIDs: nil, modelSuggestions: false, as: maria)
/// let accepted = try await runtime.suggestions.accept(run.outcomes[0].added[0].id, as: maria)
/// ```
public struct SuggestionService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any SuggestionStoring { runtime.suggestionStore }

    /// What a pass of the rules (and the model) found.
    public struct Run: Sendable {
        /// One per client: health, lead score and moves, suggestions added, proposed and resolved.
        public var outcomes: [SuggestionPass.Outcome]
        /// Next best actions the model proposed (with `modelSuggestions`), stored as pending suggestions.
        public var modelAdded: [Suggestion]
    }

    /// Runs the rules for `clientIDs` (every client when nil): health recorded, lead moves applied,
    /// new suggestions stored (duplicates of pending ones are not), suggestions whose cause is gone resolved.
    ///
    /// - Parameter modelSuggestions: also ask `suggestions.next-best-actions` for each client that consented.
    public func run(clientIDs: [String]?, modelSuggestions: Bool, as user: ActingUser) async throws -> Run {
        let scope = try runtime.scope(for: user)
        if let clientIDs, !scope.isEverything {
            for id in clientIDs { try runtime.requireInScope(clientID: id, as: user) }
        }
        let ids = try clientIDs ?? scope.filter(runtime.clientMemory.listClients()).map(\.id)
        let makeID = { [ids = runtime.ids] in ids.make(.suggestion) }
        let outcomes = try SuggestionPass(
            memory: runtime.clientMemory, health: runtime.healthStore, suggestions: runtime.suggestionStore, rules: runtime.configuration.rules
        ).run(clientIDs: ids, now: runtime.now(), makeID: makeID)
        var modelAdded: [Suggestion] = []
        if modelSuggestions {
            for id in ids {
                guard let client = try runtime.clientMemory.client(id: id), client.consentAIAnalysis else { continue }
                modelAdded += try await nextBestActions(for: client, as: user)
            }
        }
        return Run(outcomes: outcomes, modelAdded: modelAdded)
    }

    /// Asks `suggestions.next-best-actions` for `client` and stores what it proposes as model suggestions.
    public func nextBestActions(for client: Client, as user: ActingUser) async throws -> [Suggestion] {
        try runtime.scope(for: user).requireClient(client)
        let template = try runtime.template("suggestions.next-best-actions")
        let context = try runtime.context(clientID: client.id, budget: template.contextTokenBudget)
        let routed = try runtime.runners.runner(forPrompt: template.id)
        let declared = Set(template.inputs.map(\.name))
        let run = try await routed.runner.run(
            template, variables: context.variables.filter { declared.contains($0.key) }, as: NextBestActions.self,
            options: routed.options(), attribution: try runtime.attribution(user, clientID: client.id))
        let now = runtime.now()
        let ids = runtime.ids
        let suggestions = run.output.suggestions(clientID: client.id, now: now, makeID: { ids.make(.suggestion) })
        return try repository.add(suggestions, now: now)
    }

    /// Pending suggestions, highest priority first, each priority as `user`'s dismissals leave it (see `page`).
    public func list(
        clientID: String? = nil, type: SuggestionType? = nil, minimumPriority: Int? = nil, as user: ActingUser
    ) throws -> [Suggestion] {
        if let clientID { try runtime.requireInScope(clientID: clientID, as: user) }
        let stored = try repository.page(
            SuggestionFilter(
                clientID: clientID, type: type, minimumPriority: minimumPriority,
                clientOwners: try runtime.scope(for: user).userIDs),
            limit: Int.max, now: runtime.now())
        return try learning(for: user).ranked(stored).filter { $0.priority >= minimumPriority ?? 0 }
    }

    /// The suggestion with `id`.
    /// - Throws: `RuntimeError` `.notFound`.
    public func suggestion(_ id: String, as user: ActingUser) throws -> Suggestion {
        let notFound = RuntimeError(
            .notFound, code: "suggestion.not-found", "no suggestion has id '\(id)'; `kam suggest list` shows them")
        guard let suggestion = try repository.suggestion(id: id) else { throw notFound }
        try runtime.requireRecord(ofClient: suggestion.clientID, as: user, orElse: notFound)
        return suggestion
    }

    /// The suggestion with `id` when it is still open (pending or snoozed).
    /// - Throws: `RuntimeError` `.notFound`; `.wrongState` `suggestion.decided` naming its status.
    @discardableResult
    private func requireOpen(_ id: String, as user: ActingUser) throws -> Suggestion {
        let suggestion = try self.suggestion(id, as: user)
        guard suggestion.status == .pending || suggestion.status == .snoozed else {
            throw RuntimeError(
                .wrongState, code: "suggestion.decided",
                "suggestion \(id) is already \(suggestion.status.rawValue); only pending or snoozed ones can change")
        }
        return suggestion
    }

    /// What accepting created: a pending task or a pending draft.
    public struct Accepted: Sendable {
        public var suggestion: Suggestion
        /// `task:<id>` or `draft:<id>`.
        public var artifact: String
        /// The draft written, when the action was a draft.
        public var draft: Draft?
    }

    /// Accepts a pending (or snoozed) suggestion: its task is created (assigned to the acting user), or its
    /// draft is written and waits as pending. Nothing is sent.
    /// - Throws: `RuntimeError` `.wrongState` when it was already decided; the draft workflow's errors.
    public func accept(_ id: String, as user: ActingUser) async throws -> Accepted {
        let suggestion = try requireOpen(id, as: user)
        let artifact: String
        var draft: Draft?
        switch suggestion.action {
        case .task(let title, let days, let priority):
            let (taskID, _) = try runtime.clientRecords.upsertTask(
                ClientTask(
                    clientID: suggestion.clientID, externalID: "suggestion:\(suggestion.id)", title: title,
                    due: runtime.now().addingTimeInterval(Double(days) * 86_400), priority: priority,
                    assignee: user.id))
            artifact = "task:\(taskID)"
        case .draft(let kind, let hint):
            guard let client = try runtime.clientMemory.client(id: suggestion.clientID) else {
                throw RuntimeError(
                    .notFound, code: "client.not-found", "suggestion \(id)'s client \(suggestion.clientID) no longer exists")
            }
            let written = try await runtime.drafts.generate(client: client, kind: kind, hint: hint, as: user)
            draft = written
            artifact = "draft:\(written.id)"
        }
        let decided = try repository.decide(id: id) {
            $0.status = .accepted
            $0.artifact = artifact
        }
        return Accepted(suggestion: decided, artifact: artifact, draft: draft)
    }

    /// Takes an accept back: the task it created is cancelled (when still open) or the draft rejected (when
    /// still pending), and the suggestion is pending again.
    /// - Throws: `RuntimeError` `.wrongState` when the suggestion was not accepted, its task is done or its draft
    ///   already approved (undo the work itself instead), or the rules have proposed the same again since
    ///   (`suggestion.superseded`: decide the new one).
    @discardableResult
    public func undoAccept(_ id: String, as user: ActingUser) throws -> Suggestion {
        let suggestion = try self.suggestion(id, as: user)
        guard suggestion.status == .accepted, let artifact = suggestion.artifact else {
            throw RuntimeError(
                .wrongState, code: "suggestion.not-accepted",
                "suggestion \(id) is \(suggestion.status.rawValue), not accepted; only an accept can be undone")
        }
        // Checked before the task or draft is touched: the rules may have proposed the same again since the accept.
        if let twin = try repository.pendingTwin(of: suggestion) {
            throw RuntimeError(
                .wrongState, code: "suggestion.superseded",
                "suggestion \(twin) proposes the same as \(id) and is open; decide that one instead of undoing this accept")
        }
        let reason = "accept of suggestion \(id) undone" + (user.id.map { " by \($0)" } ?? "")
        if artifact.hasPrefix("task:"), let taskID = Int64(artifact.dropFirst(5)) {
            try runtime.clientRecords.updateTask(id: taskID) { task in
                guard task.status.isPending else {
                    throw RuntimeError(
                        .wrongState, code: "suggestion.work-done",
                        "task \(taskID) from suggestion \(id) is already \(task.status.rawValue); reopen or change it instead")
                }
                task.status = .cancelled
            }
        } else if artifact.hasPrefix("draft:") {
            let draftID = String(artifact.dropFirst(6))
            let draft = try runtime.drafts.draft(draftID, as: user)
            guard draft.status == .pending else {
                throw RuntimeError(
                    .wrongState, code: "suggestion.work-done",
                    "draft \(draftID) from suggestion \(id) is already \(draft.status.rawValue); it stays as it is")
            }
            try runtime.drafts.reject(draftID, reason: reason, as: user)
        }
        return try repository.reopen(id: id)
    }

    /// Dismisses a suggestion with the reason it does not apply: one of `DismissReason`'s kinds (`already-done`,
    /// `not relevant`, ...), or the person's own words, kept as the note of an `other` dismissal.
    /// - Throws: `RuntimeError` `.invalidInput` for an empty reason; `.wrongState` when it was already decided.
    @discardableResult
    public func dismiss(_ id: String, reason: String, as user: ActingUser) throws -> Suggestion {
        let text = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw RuntimeError(
                .invalidInput, code: "suggestion.reason-missing",
                "a dismissal needs a reason: one of \(DismissReason.allCases.map(\.rawValue).joined(separator: ", ")) or your own words")
        }
        if let kind = DismissReason(text: text) { return try dismiss(id, kind: kind, note: nil, as: user).suggestion }
        return try dismiss(id, kind: .other, note: text, as: user).suggestion
    }

    /// Dismisses a suggestion as `kind`, with the person's own words when given. The dismissal lowers the same rule's
    /// later suggestions for this client in `user`'s list (`DismissalLearning`), and the third "already done" on a
    /// rule within 30 days puts a data-quality notice in `user`'s inbox (the CRM is missing the work done).
    /// - Throws: `RuntimeError` `.wrongState` when it was already decided.
    @discardableResult
    public func dismiss(_ id: String, kind: DismissReason, note: String?, as user: ActingUser) throws
        -> DismissedSuggestion
    {
        try requireOpen(id, as: user)
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        return try repository.dismiss(
            id: id, reason: kind, note: note?.isEmpty == false ? note : nil, userID: user.id, now: runtime.now())
    }

    /// Hides a suggestion until `until`; it expires no sooner than a week after.
    @discardableResult
    public func snooze(_ id: String, until: Date, as user: ActingUser) throws -> Suggestion {
        try requireOpen(id, as: user)
        return try repository.decide(id: id) {
            $0.status = .snoozed
            $0.snoozedUntil = until
            $0.expiresAt = max($0.expiresAt, until.addingTimeInterval(7 * 86_400))
        }
    }
}
