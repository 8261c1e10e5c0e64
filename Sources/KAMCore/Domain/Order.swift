import Foundation

/// Something the client bought.
public struct Order: Codable, Sendable, Hashable {
    public var id: Int64?
    public var clientID: String
    public var externalID: String?
    public var product: String
    public var quantity: Int
    public var amount: Double
    public var currency: String
    public var orderedAt: Date
    public var status: String

    public init(
        id: Int64? = nil, clientID: String, externalID: String? = nil, product: String, quantity: Int = 1,
        amount: Double, currency: String = "USD", orderedAt: Date, status: String = "fulfilled"
    ) {
        self.id = id
        self.clientID = clientID
        self.externalID = externalID
        self.product = product
        self.quantity = quantity
        self.amount = amount
        self.currency = currency
        self.orderedAt = orderedAt
        self.status = status
    }
}
