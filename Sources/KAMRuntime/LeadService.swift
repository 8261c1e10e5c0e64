import Foundation
import KAMCore
import KAMStore

/// Leads: every client is a lead at its status, with its BANT score (points and qualifying score from `rules:`),
/// its source and expected value (`LeadDetails`, set with `create` and `update`), every transition kept, and the
/// statistics of them all. Moves by hand keep their reason.
///
/// For example:
/// ```swift
/// let page = try runtime.leads.list(LeadService.Query(source: .referral, minScore: 50), page: PageRequest(), as: user)
/// page.items.first?.bant.score   // 75
/// ```
public struct LeadService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    /// A client's lead: its status, its details (source and value, what accepted enrichment set), its BANT score and
    /// (shown alone) its transitions, oldest first. Encoded flat: the details' fields beside the lead's own.
    public struct Lead: Sendable, Encodable {
        public var client: String
        public var name: String
        public var owner: String?
        public var status: LeadStatus
        /// Nil when nothing of them is set.
        public var details: LeadDetails?
        public var bant: LeadScore
        /// The lead's moves, oldest first; nil in a list.
        public var transitions: [LeadTransition]?

        enum CodingKeys: String, CodingKey {
            case client, name, owner, status, bant, transitions
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(client, forKey: .client)
            try container.encode(name, forKey: .name)
            try container.encodeIfPresent(owner, forKey: .owner)
            try container.encode(status, forKey: .status)
            try container.encode(bant, forKey: .bant)
            try container.encodeIfPresent(transitions, forKey: .transitions)
            try details?.encodeFields(to: encoder)
        }
    }

    /// What `list` filters by; nil lets everything through. Bounds are inclusive.
    public struct Query: Sendable, Hashable {
        public var status: LeadStatus?
        public var source: LeadSource?
        /// The owning user's id or email.
        public var owner: String?
        /// BANT score bounds, 0...100.
        public var minScore: Int?
        public var maxScore: Int?
        /// Expected value bounds; a lead without a value passes no value bound.
        public var minValue: Double?
        public var maxValue: Double?

        public init(
            status: LeadStatus? = nil, source: LeadSource? = nil, owner: String? = nil, minScore: Int? = nil,
            maxScore: Int? = nil, minValue: Double? = nil, maxValue: Double? = nil
        ) {
            self.status = status
            self.source = source
            self.owner = owner
            self.minScore = minScore
            self.maxScore = maxScore
            self.minValue = minValue
            self.maxValue = maxValue
        }
    }

    /// Client `clientID`'s lead now, with its transitions, when `user` may see the client.
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`).
    public func lead(clientID: String, as user: ActingUser) throws -> Lead {
        let client = try runtime.client(id: clientID, as: user)
        var lead = try lead(client, details: try runtime.leadStore.details(clientID: client.id))
        lead.transitions = try runtime.healthStore.transitions(clientID: client.id)
        return lead
    }

    /// The leads `query` lets through that `user` may see, by name, one page of them.
    ///
    /// - Throws: `RuntimeError` `.invalidInput` (`lead.invalid-range`) for a bound outside its range (a lower bound above
    ///   the upper one matches nothing); `.notFound` (`client.owner-unknown`) for an owner who is not a user.
    public func list(_ query: Query, page: PageRequest, as user: ActingUser) throws -> Page<Lead> {
        try Self.check(query)
        let details = try runtime.leadStore.allDetails()
        let clients = try runtime.clients.matching(
            ClientService.Query(owner: query.owner, leadStatus: query.status), as: user
        ).filter { client in
            let lead = details[client.id]
            if let source = query.source, lead?.source != source { return false }
            guard query.minValue != nil || query.maxValue != nil else { return true }
            guard let value = lead?.value else { return false }
            return value >= (query.minValue ?? 0) && value <= (query.maxValue ?? .infinity)
        }
        guard query.minScore != nil || query.maxScore != nil else {
            // Without a score bound only the page's leads are scored.
            let shown = page.page(of: clients)
            return Page(items: try shown.items.map { try lead($0, details: details[$0.id]) }, next: shown.next)
        }
        let scored = try clients.map { try lead($0, details: details[$0.id]) }.filter {
            $0.bant.score >= (query.minScore ?? 0) && $0.bant.score <= (query.maxScore ?? Int.max)
        }
        return page.page(of: scored)
    }

    /// The leads `user` may see in numbers: count and open-deal value by status and by source, the funnel's
    /// conversion rates, the share won of each source and the median days at each status (`LeadStatistics`).
    public func statistics(as user: ActingUser) throws -> LeadStatistics {
        let scope = try runtime.scope(for: user)
        return LeadStatistics(try runtime.healthStore.leads(covers: scope.coversClient(ownerID:)))
    }

    /// Moves the client's lead to `status` by hand, recording who and why.
    /// - Returns: the transition, or nil when the lead already had that status.
    @discardableResult
    public func move(clientID: String, to status: LeadStatus, reason: String?, as user: ActingUser) throws
        -> LeadTransition?
    {
        let client = try runtime.client(id: clientID, as: user)
        guard let move = LeadLifecycle.manual(
            clientID: client.id, from: client.leadStatus, to: status, reason: Self.why(reason, by: user), at: runtime.now())
        else { return nil }
        try runtime.healthStore.apply(move)
        return move
    }

    /// The reason a move by hand keeps: the person's, else "set by hand", and who.
    static func why(_ reason: String?, by user: ActingUser) -> String {
        (reason ?? "set by hand") + (user.id.map { " (by \($0))" } ?? "")
    }

    /// `client` as a lead now, scored from its records, without its transitions.
    func lead(_ client: Client, details: LeadDetails?) throws -> Lead {
        let now = runtime.now()
        guard let snapshot = try runtime.clientMemory.snapshot(clientID: client.id, activitiesSince: now.addingTimeInterval(-30 * 86_400))
        else { throw AccessScope.clientNotFound(client.id) }
        return Lead(
            client: client.id, name: client.name, owner: client.ownerID, status: client.leadStatus, details: details,
            bant: LeadScorer(rules: runtime.configuration.rules).score(snapshot, at: now), transitions: nil)
    }

    /// Refuses bounds outside their ranges, naming the field (a lower bound above its upper one matches no lead).
    static func check(_ query: Query) throws {
        func refuse(_ field: String, _ message: String) -> RuntimeError {
            RuntimeError(.invalidInput, code: "lead.invalid-range", "\(field): \(message)")
        }
        for (field, score) in [("min_score", query.minScore), ("max_score", query.maxScore)] {
            if let score, !(0...100).contains(score) {
                throw refuse(field, "\(score) is not a BANT score; give a whole number from 0 to 100")
            }
        }
        for (field, value) in [("min_value", query.minValue), ("max_value", query.maxValue)] {
            if let value, !(value.isFinite && value >= 0) {
                throw refuse(field, "\(value) is not a value; give a number of 0 or more")
            }
        }
    }
}
