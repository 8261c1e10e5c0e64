import Foundation

extension LeadLifecycle {
    /// The lead move a deal's new stage makes, if any: the lead pipeline follows the deal pipeline forward.
    ///
    /// - closed-won: the lead is `won` (whatever it was).
    /// - closed-lost: the lead is `lost` when no other deal is open and it was not already won (a customer
    ///   who loses one deal is still a customer).
    /// - proposal, negotiation: the lead moves up to the same stage when it is earlier in the pipeline;
    ///   it never moves back, and a closed lead (won, lost) stays closed.
    ///
    /// - Parameter otherOpenDeals: the client's open deals besides this one, after the move.
    public static func afterDealMove(
        clientID: String, status: LeadStatus, dealName: String, to stage: DealStage, otherOpenDeals: Int, at now: Date
    ) -> LeadTransition? {
        let target: LeadStatus
        let reason: String
        switch stage {
        case .closedWon:
            (target, reason) = (.won, "deal '\(dealName)' won")
        case .closedLost:
            guard otherOpenDeals == 0, status != .won else { return nil }
            (target, reason) = (.lost, "deal '\(dealName)' lost and no other deal is open")
        case .proposal, .negotiation:
            target = stage == .proposal ? .proposal : .negotiation
            guard let from = pipeline.firstIndex(of: status), let to = pipeline.firstIndex(of: target), from < to
            else { return nil }
            reason = "deal '\(dealName)' moved to \(stage.rawValue)"
        case .prospecting, .qualification:
            return nil
        }
        guard target != status else { return nil }
        return LeadTransition(clientID: clientID, from: status, to: target, automatic: true, reason: reason, at: now)
    }

    /// The open part of the pipeline, in order (won and lost are its two ends).
    static let pipeline: [LeadStatus] = [.new, .contacted, .qualified, .proposal, .negotiation]
}
