import Foundation
import KAMCore
import KAMStore

/// Logging what happened with a client (`kam log CLIENT --call|--meeting|--note|--email "summary"`): one
/// transaction for the activity, then the client is re-scored (`ClientRefresh`): a call resets the
/// inactivity clock, so the "follow up" suggestion is resolved and relationship health goes up.
///
/// For example:
/// ```swift
/// let logged = try runtime.activities.log(
///     ActivityService.Entry(clientID: "initech", kind: .call, summary: "Talked through the Q1 rollout"),
///     as: ActingUser("maria"))
/// logged.refresh.resolved.map(\.type)   // [.followUp]
/// ```
public struct ActivityService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// One activity to log.
    public struct Entry: Sendable {
        public var clientID: String
        public var kind: ActivityKind
        /// Nil: a note is internal, everything else outbound (we called, we wrote).
        public var direction: ActivityDirection?
        /// When it happened; nil is now. Never in the future.
        public var at: Date?
        /// From -1 (negative) to 1 (positive), when the person judged it.
        public var sentiment: Double?
        /// What happened. Its first line (up to 120 characters) is the subject; longer text is kept whole.
        public var summary: String
        /// The contact it was with: an id, email or name (see `ContactService.contact`).
        public var contact: String?

        public init(
            clientID: String, kind: ActivityKind, direction: ActivityDirection? = nil, at: Date? = nil,
            sentiment: Double? = nil, summary: String, contact: String? = nil
        ) {
            self.clientID = clientID
            self.kind = kind
            self.direction = direction
            self.at = at
            self.sentiment = sentiment
            self.summary = summary
            self.contact = contact
        }
    }

    /// The stored activity and what it changed downstream.
    public struct Logged: Codable, Sendable {
        public var activity: Activity
        public var refresh: ClientRefresh.Outcome
    }

    /// Stores the activity and re-scores the client.
    ///
    /// - Throws: `RuntimeError` `.invalidInput` (empty summary, a date in the future, sentiment outside
    ///   -1...1), `.notFound` / `.ambiguous` for the contact.
    @discardableResult
    public func log(_ entry: Entry, as user: ActingUser) throws -> Logged {
        try runtime.requireInScope(clientID: entry.clientID, as: user)
        let now = runtime.now()
        let summary = entry.summary.trimmingCharacters(in: .whitespacesAndNewlines)
        func invalid(_ field: String, _ message: String) -> RuntimeError {
            RuntimeError(.invalidInput, code: "activity.invalid-\(field)", "client '\(entry.clientID)': \(message)")
        }
        guard !summary.isEmpty else {
            throw invalid("summary", "say what happened: `kam log \(entry.clientID) --call \"summary\"`")
        }
        let at = entry.at ?? now
        // A 409, not a 400: whether `at` is in the future depends on the clock, not on the request alone.
        guard at <= now else {
            throw RuntimeError(
                .wrongState, code: "activity.invalid-at",
                "client '\(entry.clientID)': --at \(ImportDate.day(at)) is in the future; log what happened, and plan what will with `kam task add`")
        }
        if let sentiment = entry.sentiment, !(sentiment >= -1 && sentiment <= 1) {
            throw invalid("sentiment", "--sentiment \(sentiment) must be between -1 (negative) and 1 (positive)")
        }
        // A contact the client does not have is a conflict with its stored people (409), not a missing client (404).
        let contact: Contact?
        do {
            contact = try entry.contact.map { try runtime.contacts.contact(clientID: entry.clientID, $0, as: user) }
        } catch let error as RuntimeError where error.kind == .notFound {
            throw RuntimeError(.wrongState, code: error.code, error.message)
        }
        let firstLine = summary.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? summary
        let subject = firstLine.count > 120 ? String(firstLine.prefix(119)) + "…" : firstLine
        var activity = Activity(
            clientID: entry.clientID, contactID: contact?.id, kind: entry.kind,
            direction: entry.direction ?? (entry.kind == .note ? .internal : .outbound), occurredAt: at,
            subject: subject, body: subject == summary ? nil : summary, sentiment: entry.sentiment)
        activity.id = try runtime.clientRecords.upsertActivity(activity).id
        let refresh = ClientRefresh(runtime: runtime).run(
            clientID: entry.clientID,
            cause: "\(entry.kind.rawValue) logged for \(ImportDate.day(at))\(user.byClause)")
        return Logged(activity: activity, refresh: refresh)
    }
}
