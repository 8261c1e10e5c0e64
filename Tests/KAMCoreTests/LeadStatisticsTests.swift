import Foundation
import Testing

@testable import KAMCore

/// Lead statistics against figures worked out by hand for four leads.
@Suite("Lead statistics")
struct LeadStatisticsTests {
    static let day0 = Date(timeIntervalSince1970: 1_780_000_000)
    static func day(_ n: Double) -> Date { day0.addingTimeInterval(n * 86_400) }
    static func move(_ id: String, _ from: LeadStatus, _ to: LeadStatus, _ n: Double) -> LeadTransition {
        LeadTransition(clientID: id, from: from, to: to, automatic: false, reason: "test", at: day(n))
    }

    /// A: new (day 0) → contacted (2) → qualified (6) → won (16); B: new (0) → contacted (4) → lost (5);
    /// C: new (1) → qualified (3), still there; D: new since day 0.
    static let leads = [
        LeadStatistics.Lead(
            clientID: "a", status: .won, value: 0, createdAt: day(0),
            transitions: [move("a", .new, .contacted, 2), move("a", .contacted, .qualified, 6), move("a", .qualified, .won, 16)]),
        LeadStatistics.Lead(
            clientID: "b", status: .lost, value: 1_000, createdAt: day(0),
            transitions: [move("b", .new, .contacted, 4), move("b", .contacted, .lost, 5)]),
        LeadStatistics.Lead(clientID: "c", status: .qualified, value: 5_000, createdAt: day(1), transitions: [move("c", .new, .qualified, 3)]),
        LeadStatistics.Lead(clientID: "d", status: .new, value: 200, createdAt: day(0), transitions: []),
    ]

    @Test("counts and values by status, conversions along the funnel and median days at each status, as worked by hand")
    func handWorked() {
        let stats = LeadStatistics(Self.leads)
        #expect(stats.leads == 4 && stats.value == 6_200)
        let byStatus = Dictionary(uniqueKeysWithValues: stats.byStatus.map { ($0.status, ($0.count, $0.value)) })
        #expect(byStatus[.won]! == (1, 0) && byStatus[.lost]! == (1, 1_000) && byStatus[.qualified]! == (1, 5_000))
        #expect(byStatus[.new]! == (1, 200) && byStatus[.contacted]! == (0, 0))
        // Furthest reached: A won, B contacted (lost ends it), C qualified (passing contacted), D new.
        let conversions = stats.conversions.map { "\($0.from.rawValue)>\($0.to.rawValue) \($0.converted)/\($0.reached)" }
        #expect(conversions == [
            "new>contacted 3/4", "contacted>qualified 2/3", "qualified>proposal 1/2", "proposal>negotiation 1/1", "negotiation>won 1/1",
        ])
        #expect(stats.conversions[0].rate == 0.75 && stats.conversions[2].rate == 0.5)
        // Stays: new 2 (A), 4 (B), 2 (C) → median 2; contacted 4 (A), 1 (B) → 2.5; qualified 10 (A); no stay completed after.
        let velocity = Dictionary(uniqueKeysWithValues: stats.velocity.map { ($0.status, $0) })
        #expect(velocity[.new]?.stays == 3 && velocity[.new]?.medianDays == 2)
        #expect(velocity[.contacted]?.stays == 2 && velocity[.contacted]?.medianDays == 2.5)
        #expect(velocity[.qualified]?.stays == 1 && velocity[.qualified]?.medianDays == 10)
        #expect(velocity[.proposal]?.stays == 0 && velocity[.proposal]?.medianDays == nil)
        #expect(velocity[.won] == nil && velocity[.lost] == nil)
    }

    @Test("amounts near the largest double add up to it, not to infinity, which JSON cannot carry")
    func saturates() throws {
        let huge = LeadStatistics.Lead(clientID: "h", status: .new, value: .greatestFiniteMagnitude, createdAt: Self.day0, transitions: [])
        let stats = LeadStatistics([huge, huge, Self.leads[3]])
        #expect(stats.value == .greatestFiniteMagnitude && stats.value.isFinite)
        #expect(stats.byStatus.first { $0.status == .new }?.value == .greatestFiniteMagnitude)
        #expect(FiniteSum.saturated(-.infinity) == -.greatestFiniteMagnitude && FiniteSum.saturated(.nan) == 0)
        _ = try JSONEncoder().encode(stats)
    }

    @Test("no leads: zero counts and no rates")
    func empty() {
        let stats = LeadStatistics([])
        #expect(stats.leads == 0 && stats.value == 0)
        #expect(stats.conversions.allSatisfy { $0.reached == 0 && $0.rate == nil })
        #expect(stats.velocity.allSatisfy { $0.stays == 0 && $0.medianDays == nil })
    }

    @Test("by source: counts, open deals, estimated values and the share won, as worked by hand")
    func bySource() {
        var leads = Self.leads
        // A referral (won, estimated 10,000), B referral (lost, 2,000), C event (no estimate), D without a source (500).
        (leads[0].source, leads[0].estimatedValue) = (.referral, 10_000)
        (leads[1].source, leads[1].estimatedValue) = (.referral, 2_000)
        leads[2].source = .event
        leads[3].estimatedValue = 500
        let stats = LeadStatistics(leads)
        #expect(stats.bySource.map(\.source) == LeadSource.allCases + [nil])
        let referral = stats.bySource.first { $0.source == .referral }
        #expect(referral?.count == 2 && referral?.value == 1_000 && referral?.estimatedValue == 12_000)
        #expect(referral?.won == 1 && referral?.lost == 1 && referral?.rate == 0.5)
        let event = stats.bySource.first { $0.source == .event }
        #expect(event?.count == 1 && event?.value == 5_000 && event?.estimatedValue == 0 && event?.rate == 0)
        let none = stats.bySource.last
        #expect(none?.source == nil && none?.count == 1 && none?.value == 200 && none?.estimatedValue == 500)
        #expect(stats.bySource.first { $0.source == .website }.map { $0.count == 0 && $0.rate == nil } == true)
        #expect(stats.bySource.map(\.count).reduce(0, +) == stats.leads)
        // Every lead with a source: no row for the leads without one.
        #expect(LeadStatistics(Array(leads.prefix(3))).bySource.count == LeadSource.allCases.count)
    }
}
