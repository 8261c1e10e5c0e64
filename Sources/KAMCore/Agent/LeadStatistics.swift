import Foundation

/// The leads of a portfolio in numbers: how many are at each status and what their open deals are worth, how many
/// of those that reached one status of the funnel went on to the next (conversion), and how long a lead stays at a
/// status before it moves (the seeds' "transition velocity": the median of the completed stays).
///
/// The funnel is new → contacted → qualified → proposal → negotiation → won; `lost` ends it from any status. A lead
/// *reached* a status when its history (its first status and every status it moved to) holds that status or a later
/// one of the funnel, so a lead moved from new straight to qualified counts as having passed contacted.
///
/// By source (`LeadSource`, and the leads without one): how many, their open deals and their estimated values, and
/// the share of them won (`won / count`: a source's leads that became customers).
public struct LeadStatistics: Sendable, Equatable, Codable {
    /// One lead: the client, its status now, its open deals' value, when it was created and its moves, oldest first.
    public struct Lead: Sendable, Equatable {
        public var clientID: String
        public var status: LeadStatus
        public var value: Double
        public var createdAt: Date
        public var transitions: [LeadTransition]
        /// Where the lead came from (`LeadDetails`); nil when nobody said.
        public var source: LeadSource?
        /// The lead's estimated value (`LeadDetails.value`), apart from its deals.
        public var estimatedValue: Double?

        public init(
            clientID: String, status: LeadStatus, value: Double, createdAt: Date, transitions: [LeadTransition],
            source: LeadSource? = nil, estimatedValue: Double? = nil
        ) {
            self.clientID = clientID
            self.status = status
            self.value = value
            self.createdAt = createdAt
            self.transitions = transitions
            self.source = source
            self.estimatedValue = estimatedValue
        }
    }

    public struct SourceCount: Sendable, Equatable, Codable {
        /// nil: the leads without a source.
        public var source: LeadSource?
        public var count: Int
        /// The open deals' amounts of these leads.
        public var value: Double
        /// The sum of their estimated values.
        public var estimatedValue: Double
        /// Of these leads, those won now.
        public var won: Int
        /// Of these leads, those lost now.
        public var lost: Int
        /// `won / count`; nil when the source has no lead.
        public var rate: Double?

        enum CodingKeys: String, CodingKey {
            case source, count, value, won, lost, rate
            case estimatedValue = "estimated_value"
        }
    }

    public struct StatusCount: Sendable, Equatable, Codable {
        public var status: LeadStatus
        public var count: Int
        /// The open deals' amounts of the leads at this status.
        public var value: Double
    }

    public struct Conversion: Sendable, Equatable, Codable {
        public var from: LeadStatus
        public var to: LeadStatus
        /// Leads that reached `from`.
        public var reached: Int
        /// Of those, the leads that reached `to`.
        public var converted: Int
        /// `converted / reached`; nil when no lead reached `from`.
        public var rate: Double?
    }

    public struct Velocity: Sendable, Equatable, Codable {
        public var status: LeadStatus
        /// Completed stays at the status (entered and left).
        public var stays: Int
        /// The median stay in days; nil without a completed stay.
        public var medianDays: Double?

        enum CodingKeys: String, CodingKey {
            case status, stays
            case medianDays = "median_days"
        }
    }

    public var leads: Int
    public var value: Double
    public var byStatus: [StatusCount]
    /// Every source in `LeadSource`'s order, then the leads without one (only when there are some).
    public var bySource: [SourceCount]
    public var conversions: [Conversion]
    public var velocity: [Velocity]

    enum CodingKeys: String, CodingKey {
        case leads, value, conversions, velocity
        case byStatus = "by_status"
        case bySource = "by_source"
    }

    /// The funnel's statuses in order; `lost` is outside it.
    public static let funnel: [LeadStatus] = [.new, .contacted, .qualified, .proposal, .negotiation, .won]

    public init(_ leads: [Lead]) {
        self.leads = leads.count
        value = FiniteSum.total(leads.map(\.value))
        // One pass over the leads for both groupings (a filter per status and per source copied every lead 17
        // times); each group's amounts keep the leads' order, so the saturating sums are the same.
        struct Group {
            var values: [Double] = []
            var estimated: [Double] = []
            var won = 0
            var lost = 0
        }
        var statuses: [LeadStatus: Group] = [:]
        var sources: [LeadSource?: Group] = [:]
        for lead in leads {
            statuses[lead.status, default: Group()].values.append(lead.value)
            var group = sources.removeValue(forKey: lead.source) ?? Group()
            group.values.append(lead.value)
            if let estimated = lead.estimatedValue { group.estimated.append(estimated) }
            if lead.status == .won { group.won += 1 }
            if lead.status == .lost { group.lost += 1 }
            sources[lead.source] = group
        }
        byStatus = LeadStatus.allCases.map { status in
            let values = statuses[status]?.values ?? []
            return StatusCount(status: status, count: values.count, value: FiniteSum.total(values))
        }
        let listed: [LeadSource?] = LeadSource.allCases + (sources[nil] != nil ? [nil] : [])
        bySource = listed.map { source in
            let group = sources[source] ?? Group()
            return SourceCount(
                source: source, count: group.values.count, value: FiniteSum.total(group.values),
                estimatedValue: FiniteSum.total(group.estimated), won: group.won, lost: group.lost,
                rate: group.values.isEmpty ? nil : Double(group.won) / Double(group.values.count))
        }
        // The furthest funnel position each lead reached.
        let furthest = leads.map { lead -> Int in
            let history = [lead.transitions.first?.from ?? lead.status] + lead.transitions.map(\.to) + [lead.status]
            return history.compactMap { Self.funnel.firstIndex(of: $0) }.max() ?? 0
        }
        conversions = zip(Self.funnel, Self.funnel.dropFirst()).enumerated().map { index, pair in
            let reached = furthest.filter { $0 >= index }.count
            let converted = furthest.filter { $0 >= index + 1 }.count
            return Conversion(
                from: pair.0, to: pair.1, reached: reached, converted: converted,
                rate: reached == 0 ? nil : Double(converted) / Double(reached))
        }
        var stays: [LeadStatus: [Double]] = [:]
        for lead in leads {
            var entered = lead.createdAt
            for move in lead.transitions {
                stays[move.from, default: []].append(max(0, move.at.timeIntervalSince(entered)) / 86_400)
                entered = move.at
            }
        }
        velocity = LeadStatus.allCases.filter { $0 != .won && $0 != .lost }.map { status in
            let days = (stays[status] ?? []).sorted()
            return Velocity(status: status, stays: days.count, medianDays: Self.median(days))
        }
    }

    static func median(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
