import Foundation

/// What a client's lead holds beyond its status: where it came from and what a person expects it to be worth.
///
/// The value is an estimate set by hand (the deals hold the amounts under negotiation), in `currency` as a deal's
/// amount is in its own. A client without details has none of them set.
public struct LeadDetails: Codable, Sendable, Hashable {
    public var clientID: String
    public var source: LeadSource?
    /// Free text beside the source: the fair, the referrer, the campaign.
    public var sourceDetail: String?
    /// The expected value, 0 or more.
    public var value: Double?
    /// ISO 4217 code of `value` (`USD`).
    public var currency: String?
    /// Set by an accepted enrichment proposal (`LeadProposal`), as are the needs and the ICP fit.
    public var sizeBand: CompanySize?
    public var needs: [String]?
    /// 0...100: how well the lead fits kam.yaml's `icp:`.
    public var icpScore: Int?
    public var icpReasons: [String]?
    public var updatedAt: Date

    public init(
        clientID: String, source: LeadSource? = nil, sourceDetail: String? = nil, value: Double? = nil,
        currency: String? = nil, sizeBand: CompanySize? = nil, needs: [String]? = nil, icpScore: Int? = nil,
        icpReasons: [String]? = nil, updatedAt: Date
    ) {
        self.sizeBand = sizeBand
        self.needs = needs
        self.icpScore = icpScore
        self.icpReasons = icpReasons
        self.clientID = clientID
        self.source = source
        self.sourceDetail = sourceDetail
        self.value = value
        self.currency = currency
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case source, value, currency, needs
        case clientID = "client_id"
        case sizeBand = "size_band"
        case icpScore = "icp_score"
        case icpReasons = "icp_reasons"
        case sourceDetail = "source_detail"
        case updatedAt = "updated_at"
    }

    /// Its fields but the client id and the time into `encoder`'s keyed container, beside the encoding caller's own
    /// keys: the API's flat lead (`LeadService.Lead`). An unset field is left out, as in its own encoding.
    public func encodeFields(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(source, forKey: .source)
        try container.encodeIfPresent(sourceDetail, forKey: .sourceDetail)
        try container.encodeIfPresent(value, forKey: .value)
        try container.encodeIfPresent(currency, forKey: .currency)
        try container.encodeIfPresent(sizeBand, forKey: .sizeBand)
        try container.encodeIfPresent(needs, forKey: .needs)
        try container.encodeIfPresent(icpScore, forKey: .icpScore)
        try container.encodeIfPresent(icpReasons, forKey: .icpReasons)
    }

    /// Whether any field is set (a lead without details stores no row).
    public var isEmpty: Bool {
        source == nil && sourceDetail == nil && value == nil && sizeBand == nil && needs == nil && icpScore == nil
    }
}
