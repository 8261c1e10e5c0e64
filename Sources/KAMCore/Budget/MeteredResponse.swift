/// A model's answer with its metering: what it cost and the usage-ledger row written for it.
public struct MeteredResponse: Sendable, Hashable {
    public var response: ChatResponse
    public var cost: CallCost
    public var record: ModelCallRecord

    public init(response: ChatResponse, cost: CallCost, record: ModelCallRecord) {
        self.response = response
        self.cost = cost
        self.record = record
    }
}
