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
    public var updatedAt: Date

    public init(
        clientID: String, source: LeadSource? = nil, sourceDetail: String? = nil, value: Double? = nil,
        currency: String? = nil, updatedAt: Date
    ) {
        self.clientID = clientID
        self.source = source
        self.sourceDetail = sourceDetail
        self.value = value
        self.currency = currency
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case source, value, currency
        case clientID = "client_id"
        case sourceDetail = "source_detail"
        case updatedAt = "updated_at"
    }

    /// Whether any field is set (a lead without details stores no row).
    public var isEmpty: Bool { source == nil && sourceDetail == nil && value == nil }
}
