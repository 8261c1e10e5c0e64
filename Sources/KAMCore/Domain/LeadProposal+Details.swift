import Foundation

extension LeadProposal {
    /// A lead's details (`before`, none yet when nil) with this accepted proposal's value set, at `now`: its size
    /// band, needs or ICP fit; nil for a field kept elsewhere (the industry on the client, decision makers as
    /// contacts). What both stores write when a person or a rule accepts the proposal.
    public func applied(to before: LeadDetails?, at now: Date) -> LeadDetails? {
        var details = before ?? LeadDetails(clientID: clientID, updatedAt: now)
        switch field {
        case .sizeBand: details.sizeBand = value.text.flatMap(CompanySize.init(rawValue:))
        case .needs: details.needs = value.items
        case .icpFit: (details.icpScore, details.icpReasons) = (value.score, value.items)
        case .industry, .decisionMakers: return nil
        }
        details.updatedAt = now
        return details
    }
}
