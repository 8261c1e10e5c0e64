/// What a deal move stored (`ClientRecordStoring.moveDeal`).
public struct DealMove: Sendable {
    /// The deal after the move, with its whole stage history.
    public var deal: Deal
    /// The stage it left.
    public var from: DealStage
    /// The lead move the new stage made (`LeadLifecycle.afterDealMove`), applied in the same transaction.
    public var leadTransition: LeadTransition?

    public init(deal: Deal, from: DealStage, leadTransition: LeadTransition?) {
        self.deal = deal
        self.from = from
        self.leadTransition = leadTransition
    }
}
