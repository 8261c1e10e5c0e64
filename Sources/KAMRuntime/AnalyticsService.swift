import Foundation
import KAMCore
import KAMStore

/// Analytics for managers and admins (`GET /analytics/...`): how people decide about drafts (acceptance and
/// edit distance per prompt version and per draft kind) and suggestions (acceptance per type), what the
/// model calls cost, and the experiments with their intervals.
///
/// Every figure counts only what the acting user's scope covers: an admin (or a local run) everything, a
/// manager their team's drafts, suggestions, calls and experiment drafts. A member is refused (the server
/// answers 403 `auth.role`): analytics are a team view, not a record.
///
/// For example:
/// ```swift
/// let drafts = try runtime.analytics.drafts(as: ActingUser("lena"))   // lena manages team north
/// drafts.byKind.first { $0.kind == "follow-up" }?.tally.acceptanceRate
/// ```
public struct AnalyticsService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any AnalyticsReading { runtime.analyticsReader }

    /// The scope analytics use for `user`.
    /// - Throws: `RoleRefusal` when the user is a member (only managers and admins see analytics).
    public func scope(for user: ActingUser) throws -> AccessScope {
        let scope = try runtime.scope(for: user)
        if case .own(let id) = scope.reach {
            throw RoleRefusal(userID: id, role: "member", needed: "the manager or admin role", for: "analytics")
        }
        return scope
    }

    // MARK: - Drafts

    /// What people did with a set of drafts.
    public struct DraftTally: Codable, Sendable, Hashable {
        public var drafts = 0
        public var pending = 0
        public var approvedUnedited = 0
        public var approvedEdited = 0
        public var rejected = 0
        /// Approved (edited or not, sent included) over decided drafts; nil when none is decided.
        public var acceptanceRate: Double?
        /// Approved without an edit over decided drafts; nil when none is decided.
        public var uneditedRate: Double?
        /// Mean Levenshtein distance from the model's text to the approved one over approved drafts
        /// (0 for an unedited one); nil when none is approved.
        public var meanEditDistance: Double?

        public var decided: Int { approvedUnedited + approvedEdited + rejected }

        init(_ facts: [AnalyticsDraftFact]) {
            var distance = 0
            for fact in facts {
                drafts += 1
                switch fact.status {
                case .pending: pending += 1
                case .rejected: rejected += 1
                case .approved, .editedAndApproved, .sent:
                    let edited = fact.edited && (fact.editDistance ?? 1) > 0
                    if edited { approvedEdited += 1 } else { approvedUnedited += 1 }
                    distance += edited ? fact.editDistance ?? 0 : 0
                }
            }
            let approved = approvedUnedited + approvedEdited
            acceptanceRate = decided == 0 ? nil : Double(approved) / Double(decided)
            uneditedRate = decided == 0 ? nil : Double(approvedUnedited) / Double(decided)
            meanEditDistance = approved == 0 ? nil : Double(distance) / Double(approved)
        }

        enum CodingKeys: String, CodingKey {
            case drafts, pending, rejected, decided
            case approvedUnedited = "approved_unedited"
            case approvedEdited = "approved_edited"
            case acceptanceRate = "acceptance_rate"
            case uneditedRate = "unedited_rate"
            case meanEditDistance = "mean_edit_distance"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            drafts = try container.decode(Int.self, forKey: .drafts)
            pending = try container.decode(Int.self, forKey: .pending)
            approvedUnedited = try container.decode(Int.self, forKey: .approvedUnedited)
            approvedEdited = try container.decode(Int.self, forKey: .approvedEdited)
            rejected = try container.decode(Int.self, forKey: .rejected)
            acceptanceRate = try container.decodeIfPresent(Double.self, forKey: .acceptanceRate)
            uneditedRate = try container.decodeIfPresent(Double.self, forKey: .uneditedRate)
            meanEditDistance = try container.decodeIfPresent(Double.self, forKey: .meanEditDistance)
        }

        /// Every field, rates as null when there is nothing to divide, beside the group's own keys.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(drafts, forKey: .drafts)
            try container.encode(pending, forKey: .pending)
            try container.encode(decided, forKey: .decided)
            try container.encode(approvedUnedited, forKey: .approvedUnedited)
            try container.encode(approvedEdited, forKey: .approvedEdited)
            try container.encode(rejected, forKey: .rejected)
            try container.encode(acceptanceRate, forKey: .acceptanceRate)
            try container.encode(uneditedRate, forKey: .uneditedRate)
            try container.encode(meanEditDistance, forKey: .meanEditDistance)
        }
    }

    /// The drafts of one prompt version.
    public struct PromptVersionDrafts: Encodable, Sendable, Hashable {
        public var promptID: String
        public var promptVersion: String
        public var tally: DraftTally

        enum CodingKeys: String, CodingKey {
            case promptID = "prompt_id"
            case promptVersion = "prompt_version"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(promptID, forKey: .promptID)
            try container.encode(promptVersion, forKey: .promptVersion)
            try tally.encode(to: encoder)
        }
    }

    /// The drafts of one kind.
    public struct KindDrafts: Encodable, Sendable, Hashable {
        public var kind: String
        public var tally: DraftTally

        enum CodingKeys: String, CodingKey { case kind }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try tally.encode(to: encoder)
        }
    }

    /// Draft outcomes per prompt version and per kind.
    public struct Drafts: Encodable, Sendable, Hashable {
        public var total: DraftTally
        public var byPromptVersion: [PromptVersionDrafts]
        public var byKind: [KindDrafts]

        enum CodingKeys: String, CodingKey {
            case total
            case byPromptVersion = "by_prompt_version"
            case byKind = "by_kind"
        }
    }

    /// Acceptance and edit distance of the drafts created at or after `since` that `user` may see, per
    /// prompt version (by prompt id, then version in numeric order) and per kind.
    /// - Throws: `RoleRefusal` for a member.
    public func drafts(since: Date? = nil, as user: ActingUser) throws -> Drafts {
        let scope = try scope(for: user)
        let facts = try repository.drafts(since: since).filter {
            scope.coversDraft(createdBy: $0.createdBy, clientOwnerID: $0.clientOwnerID)
        }
        let versions = Dictionary(grouping: facts) { [$0.promptID, $0.promptVersion] }
            .map { PromptVersionDrafts(promptID: $0.key[0], promptVersion: $0.key[1], tally: DraftTally($0.value)) }
            .sorted { PromptVersionOrder.precedes(($0.promptID, $0.promptVersion), ($1.promptID, $1.promptVersion)) }
        let kinds = Dictionary(grouping: facts, by: \.kind)
            .map { KindDrafts(kind: $0.key, tally: DraftTally($0.value)) }.sorted { $0.kind < $1.kind }
        return Drafts(total: DraftTally(facts), byPromptVersion: versions, byKind: kinds)
    }

    // MARK: - Time saved

    /// The time saved by the approved drafts of one group (a user, or an ISO week like `2026-W49`).
    public struct TimeSavedLine: Encodable, Sendable, Hashable {
        public var key: String
        public var saved: TimeSaved

        enum CodingKeys: String, CodingKey { case key }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try saved.encode(to: encoder)
        }
    }

    /// The time approved drafts saved, in total, per user (who approved it, else who asked for it) and per ISO week
    /// of the approval.
    public struct TimeSavedReport: Encodable, Sendable, Hashable {
        public var wordsPerMinute: Double
        public var total: TimeSaved
        public var byUser: [TimeSavedLine]
        public var byWeek: [TimeSavedLine]

        enum CodingKeys: String, CodingKey {
            case wordsPerMinute = "words_per_minute"
            case total
            case byUser = "by_user"
            case byWeek = "by_week"
        }
    }

    /// The time saved by the drafts approved at or after `since` that `user` may see: the approved text's words at
    /// kam.yaml's `analytics: writing_words_per_minute`, minus the time from creation to approval, never below
    /// zero a draft (`TimeSaved`).
    /// - Throws: `RoleRefusal` for a member.
    public func timeSaved(since: Date? = nil, as user: ActingUser) throws -> TimeSavedReport {
        let scope = try scope(for: user)
        let speed = runtime.configuration.analytics.writingWordsPerMinute
        let facts = try repository.approvals(since: since).filter {
            scope.coversDraft(createdBy: $0.createdBy, clientOwnerID: $0.clientOwnerID)
        }
        let utc = TimeZone(identifier: "UTC")!
        var total = TimeSaved()
        var users: [String: TimeSaved] = [:]
        var weeks: [String: TimeSaved] = [:]
        for fact in facts {
            // One draft's figures, counted once and added to its three groups.
            var one = TimeSaved()
            one.add(fact.content, review: fact.decidedAt.timeIntervalSince(fact.createdAt), wordsPerMinute: speed)
            total += one
            users[fact.decidedBy ?? fact.createdBy ?? "-", default: TimeSaved()] += one
            weeks[ISOWeek.name(of: fact.decidedAt, in: utc), default: TimeSaved()] += one
        }
        func lines(_ groups: [String: TimeSaved]) -> [TimeSavedLine] {
            groups.map { TimeSavedLine(key: $0.key, saved: $0.value) }.sorted { $0.key < $1.key }
        }
        return TimeSavedReport(wordsPerMinute: speed, total: total, byUser: lines(users), byWeek: lines(weeks))
    }

    // MARK: - Suggestions

    /// What people did with the suggestions of one type, or of one rule (`suggestionsByRule`).
    public struct SuggestionTally: Encodable, Sendable, Hashable {
        /// What a line counts: the suggestions of one type, or of one rule (`Suggestion.origin`).
        public enum Grouping: String, Sendable, Hashable {
            case type, rule
        }

        public var grouping: Grouping
        /// The type, or the rule: what the line counts (encoded under `grouping`'s name).
        public var type: String
        public var suggestions = 0
        /// Suggestions by status (`pending`, `accepted`, `dismissed`, `snoozed`, `expired`, `resolved`), zeros included.
        public var statuses: [String: Int]
        /// Accepted over accepted and dismissed (the suggestions a person decided); nil when none was decided.
        public var acceptanceRate: Double?
        /// Dismissals by kind (`DismissReason`, zeros included; `unrecorded` for those made before kinds were kept):
        /// only in lines per rule.
        public var dismissKinds: [String: Int]?

        init(_ grouping: Grouping, _ key: String, _ facts: [AnalyticsSuggestionFact]) {
            self.grouping = grouping
            type = key
            suggestions = facts.count
            statuses = Dictionary(uniqueKeysWithValues: SuggestionStatus.allCases.map { status in
                (status.rawValue, facts.filter { $0.status == status }.count)
            })
            let accepted = statuses[SuggestionStatus.accepted.rawValue] ?? 0
            let decided = accepted + (statuses[SuggestionStatus.dismissed.rawValue] ?? 0)
            acceptanceRate = decided == 0 ? nil : Double(accepted) / Double(decided)
            if grouping == .rule {
                let dismissed = facts.filter { $0.status == .dismissed }
                var counts = Dictionary(uniqueKeysWithValues: DismissReason.allCases.map { kind in
                    (kind.rawValue, dismissed.filter { $0.dismissKind == kind.rawValue }.count)
                })
                counts["unrecorded"] = dismissed.filter { $0.dismissKind.flatMap(DismissReason.init(rawValue:)) == nil }.count
                dismissKinds = counts
            }
        }

        enum CodingKeys: String, CodingKey {
            case type, rule, suggestions, statuses
            case acceptanceRate = "acceptance_rate"
            case dismissKinds = "dismiss_kinds"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: grouping == .rule ? .rule : .type)
            try container.encode(suggestions, forKey: .suggestions)
            try container.encode(statuses, forKey: .statuses)
            try container.encode(acceptanceRate, forKey: .acceptanceRate)
            try container.encodeIfPresent(dismissKinds, forKey: .dismissKinds)
        }
    }

    /// Acceptance per suggestion type (every type, zeros included) of the suggestions created at or after
    /// `since` for clients `user` may see.
    /// - Throws: `RoleRefusal` for a member.
    public func suggestions(since: Date? = nil, as user: ActingUser) throws -> [SuggestionTally] {
        let scope = try scope(for: user)
        let facts = try repository.suggestions(since: since).filter { scope.coversClient(ownerID: $0.clientOwnerID) }
        let types = Dictionary(grouping: facts, by: \.type)
        let known = SuggestionType.allCases.map(\.rawValue)
        return (known + types.keys.filter { !known.contains($0) }.sorted()).map {
            SuggestionTally(.type, $0, types[$0] ?? [])
        }
    }

    /// Acceptance per rule (`Suggestion.origin`: a rules-engine rule, or `built-in <type>`), with the dismissals by
    /// kind, of the suggestions created at or after `since` for clients `user` may see; most suggestions first.
    /// - Throws: `RoleRefusal` for a member.
    public func suggestionsByRule(since: Date? = nil, as user: ActingUser) throws -> [SuggestionTally] {
        let scope = try scope(for: user)
        let facts = try repository.suggestions(since: since).filter { scope.coversClient(ownerID: $0.clientOwnerID) }
        return Dictionary(grouping: facts) { $0.origin ?? $0.type }
            .map { SuggestionTally(.rule, $0.key, $0.value) }
            .sorted { ($0.suggestions, $1.type) > ($1.suggestions, $0.type) }
    }

    // MARK: - Cost

    /// The usage ledger's totals of the calls at or after `since` grouped by `grouping`: every call for an
    /// admin, the calls made for the team's members for a manager.
    /// - Throws: `RoleRefusal` for a member; the store's error when the ledger cannot be read.
    public func cost(by grouping: UsageQuery.Grouping, since: Date? = nil, as user: ActingUser) async throws
        -> [UsageService.Line]
    {
        let scope = try scope(for: user)
        return try await runtime.log.usage(UsageQuery(grouping: grouping, since: since, userIDs: scope.userIDs))
            .map(UsageService.Line.init)
    }

    // MARK: - Experiments

    /// Every experiment, the most recently started first, with its tally and Wilson intervals over the
    /// drafts `user` may see (a manager: drafts for the team's clients).
    /// - Throws: `RoleRefusal` for a member.
    public func experiments(as user: ActingUser) throws -> [ExperimentService.Report] {
        let scope = try scope(for: user)
        guard let users = scope.userIDs else { return try runtime.experiments.reports() }
        let clients = try repository.clientIDs(ownedBy: users)
        let experiments = runtime.experimentStore
        return try experiments.list().map { experiment in
            let outcomes = try experiments.outcomes(experimentID: experiment.id).filter { clients.contains($0.clientID) }
            return ExperimentService.Report(
                experiment: experiment, tally: ExperimentTally(variants: experiment.variants, outcomes: outcomes))
        }
    }
}
