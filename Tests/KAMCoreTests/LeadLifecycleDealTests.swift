import Foundation
import KAMCore
import Testing

/// The lead pipeline follows a deal's stage forward (`LeadLifecycle.afterDealMove`).
@Suite struct LeadLifecycleDealTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func move(_ status: LeadStatus, _ stage: DealStage, others: Int = 0) -> LeadStatus? {
        LeadLifecycle.afterDealMove(
            clientID: "acme", status: status, dealName: "Pilot", to: stage, otherOpenDeals: others, at: now)?.to
    }

    @Test func aWonDealWinsTheLeadFromAnyStatus() {
        for status in LeadStatus.allCases where status != .won {
            #expect(move(status, .closedWon) == .won)
        }
        #expect(move(.won, .closedWon) == nil, "no move to the same status")
        let transition = LeadLifecycle.afterDealMove(
            clientID: "acme", status: .proposal, dealName: "Pilot", to: .closedWon, otherOpenDeals: 2, at: now)
        #expect(transition?.automatic == true)
        #expect(transition?.reason == "deal 'Pilot' won")
        #expect(transition?.at == now)
    }

    @Test func aLostDealLosesTheLeadOnlyWhenNothingElseIsOpenAndItWasNotWon() {
        #expect(move(.negotiation, .closedLost) == .lost)
        #expect(move(.negotiation, .closedLost, others: 1) == nil)
        #expect(move(.won, .closedLost) == nil, "a customer who loses one deal is still a customer")
        #expect(move(.lost, .closedLost) == nil)
    }

    @Test func openStagesMoveTheLeadForwardOnly() {
        #expect(move(.new, .proposal) == .proposal)
        #expect(move(.qualified, .negotiation) == .negotiation)
        #expect(move(.negotiation, .proposal) == nil, "never back")
        #expect(move(.won, .negotiation) == nil, "a closed lead stays closed")
        #expect(move(.lost, .proposal) == nil)
        #expect(move(.new, .qualification) == nil, "qualifying is BANT's decision, not a deal's")
        #expect(move(.new, .prospecting) == nil)
    }
}
