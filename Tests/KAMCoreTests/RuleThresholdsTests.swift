import Foundation
import KAMCore
import Testing

/// The thresholds of `rules:` decide what the suggestion rules, the scorers and the lead lifecycle do;
/// their defaults are the source documents' values (and the literals they replaced).
@Suite struct RuleThresholdsTests {
    /// The snapshots of `SuggestionRulesTests`, so both suites read the same client.
    let fixture = SuggestionRulesTests()
    var now: Date { fixture.now }

    func days(_ n: Double) -> Date { fixture.days(n) }

    func suggestions(_ s: ClientSnapshot, _ rules: RuleThresholds = RuleThresholds()) -> [Suggestion] {
        SuggestionRules.scoring(s, rules: rules, at: now)
    }

    func types(_ s: ClientSnapshot, _ rules: RuleThresholds = RuleThresholds()) -> Set<SuggestionType> {
        Set(suggestions(s, rules).map(\.type))
    }

    /// `RuleThresholds()` with one change.
    func rules(_ change: (inout RuleThresholds) -> Void) -> RuleThresholds {
        var rules = RuleThresholds()
        change(&rules)
        return rules
    }

    @Test func defaultsAreTheSourceDocumentsValues() throws {
        let rules = RuleThresholds()
        let s = rules.suggestions
        // Plan 001: 7 days without contact, a deal stuck more than 14 days, any overdue task.
        #expect(s.silentDays == 7)
        #expect(s.stuckDealDays == 14)
        #expect(s.overdueDays == 0)
        // Customers system 002: intervene below 60, expansion on 50 % growth; sales OS 004: a meeting at BANT 75.
        #expect(s.interventionBelowHealth == 60)
        #expect(s.orderGrowth == 0.5)
        #expect(s.meetingLeadScore == 75)
        #expect(s.positiveSentiment == 0.5)
        #expect(s.positiveWithinDays == 14)
        #expect(s.orderGrowthWindowDays == 30)
        #expect(s.largeDealAmount == 50_000)
        #expect(s.expiryDays == 14)
        // Sales OS 004: BANT 25 points each, qualified at 50.
        let points: [Int] = [
            rules.lead.budgetPoints, rules.lead.authorityPoints, rules.lead.needPoints, rules.lead.timelinePoints,
        ]
        #expect(points == [25, 25, 25, 25])
        #expect(rules.lead.qualifyingScore == 50)
        // Customers system 002: weights 30/20/25/25, bands 80/60/40.
        let h = rules.health
        let weights: [Int] = [
            h.productUsageWeight, h.supportWeight, h.relationshipDepthWeight, h.businessOutcomesWeight,
        ]
        let bands: [Int] = [h.excellentBand, h.goodBand, h.atRiskBand]
        #expect(weights == [30, 20, 25, 25])
        #expect(bands == [80, 60, 40])
        // No file, and a file without rules:, mean these defaults.
        #expect(KAMConfiguration.embeddedDefaults.rules == rules)
        #expect(try KAMConfiguration.parse("version: 1\n", file: "kam.yaml").rules == rules)
        let factors = HealthScorer().score(fixture.snapshot(), at: now).factors
        #expect(factors.map(\.weight) == [0.30, 0.20, 0.25, 0.25])
    }

    @Test func silentDaysDecideTheFollowUp() throws {
        let fiveDays = fixture.snapshot(lastContactDaysAgo: 5)
        #expect(!types(fiveDays).contains(.followUp), "5 days is under the default 7")
        let followUp = try #require(
            suggestions(fiveDays, rules { $0.suggestions.silentDays = 3 }).first { $0.type == .followUp })
        #expect(followUp.reasoning.contains("for 5 days; the threshold is 3 days"))
        for threshold in 1...12 {
            let configured = rules { $0.suggestions.silentDays = threshold }
            for silence in 0...15 {
                let fired = types(fixture.snapshot(lastContactDaysAgo: Double(silence)), configured).contains(.followUp)
                #expect(fired == (silence >= threshold), "silent \(silence) days, threshold \(threshold)")
            }
        }
    }

    @Test func stuckDealDaysDecideTheStatusCheckAndTheOutcomesFactor() {
        for threshold in [1, 5, 7, 14, 30] {
            let configured = rules { $0.suggestions.stuckDealDays = threshold }
            for inStage in [0, 2, 6, 7, 8, 14, 15, 40] {
                let deal = Deal(
                    id: 7, clientID: "acme", name: "Renewal", stage: .proposal, amount: 10_000,
                    stageEnteredAt: days(Double(inStage)))
                let s = fixture.snapshot(deals: [deal])
                #expect(
                    types(s, configured).contains(.statusCheck) == (inStage > threshold), "\(inStage) > \(threshold)")
                let outcomes = HealthScorer(rules: configured).score(s, at: now).factors.last!
                #expect(
                    outcomes.explanation.contains("1 stuck over \(threshold) days") == (inStage > threshold),
                    "\(outcomes.explanation)")
            }
        }
    }

    @Test func largeDealAmountRaisesTheStatusCheck() throws {
        let deal = Deal(
            id: 7, clientID: "acme", name: "Renewal", stage: .proposal, amount: 10_000, stageEnteredAt: days(20))
        let s = fixture.snapshot(deals: [deal])
        let plain = try #require(suggestions(s).first { $0.type == .statusCheck })
        let large = try #require(
            suggestions(s, rules { $0.suggestions.largeDealAmount = 5_000 }).first { $0.type == .statusCheck })
        #expect(large.priority == plain.priority + 10)
    }

    @Test func overdueDaysDelayTheEscalation() {
        for threshold in 0...6 {
            let configured = rules { $0.suggestions.overdueDays = threshold }
            for late in 1...8 {
                let task = ClientTask(
                    id: 3, clientID: "acme", title: "Send SOC2 report", due: days(Double(late)), priority: .high)
                let fired = types(fixture.snapshot(tasks: [task]), configured).contains(.escalate)
                #expect(fired == (late >= threshold), "\(late) days late, threshold \(threshold)")
            }
        }
        let notYetDue = ClientTask(id: 4, clientID: "acme", title: "Later", due: now.addingTimeInterval(86_400))
        #expect(!types(fixture.snapshot(tasks: [notYetDue])).contains(.escalate))
    }

    @Test func positiveSentimentAndRecencyDecideTheUpsell() {
        let warm = Activity(id: 1, clientID: "acme", kind: .call, occurredAt: days(2), subject: "QBR", sentiment: 0.3)
        #expect(!types(fixture.snapshot(activities: [warm])).contains(.upsell))
        #expect(
            types(fixture.snapshot(activities: [warm]), rules { $0.suggestions.positiveSentiment = 0.2 }).contains(
                .upsell))
        let older = Activity(id: 2, clientID: "acme", kind: .call, occurredAt: days(20), subject: "QBR", sentiment: 0.9)
        #expect(!types(fixture.snapshot(activities: [older])).contains(.upsell))
        let month = rules { $0.suggestions.positiveWithinDays = 30 }
        let upsell = suggestions(fixture.snapshot(activities: [older]), month).first { $0.type == .upsell }
        #expect(upsell?.reasoning.contains("1 positive interactions in 30 days") == true)
    }

    @Test func orderGrowthDecidesTheUpsell() throws {
        // 1,000 ordered 45 days ago, 1,300 five days ago: up 30 % on the previous 30 days.
        let orders = [
            Order(id: 1, clientID: "acme", product: "Widget", quantity: 1, amount: 1_000, orderedAt: days(45)),
            Order(id: 2, clientID: "acme", product: "Widget", quantity: 1, amount: 1_300, orderedAt: days(5)),
        ]
        let s = fixture.snapshot(orders: orders)
        #expect(!types(s).contains(.upsell), "30 % is under the default 50 %")
        let upsell = try #require(
            suggestions(s, rules { $0.suggestions.orderGrowth = 0.3 }).first { $0.type == .upsell })
        #expect(upsell.reasoning.contains("orders up 30% on the previous 30 days"))
        // Over a 60-day window both orders are recent: nothing to compare against.
        let wide = rules {
            $0.suggestions.orderGrowth = 0.1
            $0.suggestions.orderGrowthWindowDays = 60
        }
        #expect(!types(s, wide).contains(.upsell))
    }

    @Test func interventionBelowHealthDecidesTheIntervention() {
        let s = fixture.snapshot(
            lastContactDaysAgo: 60, tasks: [ClientTask(id: 1, clientID: "acme", title: "x", due: days(9))])
        let health = HealthScorer().score(s, at: now).score
        #expect(health < 60)
        #expect(types(s).contains(.intervention))
        for threshold in stride(from: 0, through: 100, by: 5) {
            let fired = types(s, rules { $0.suggestions.interventionBelowHealth = threshold }).contains(.intervention)
            #expect(fired == (health < threshold), "health \(health), threshold \(threshold)")
        }
    }

    /// A lead meeting three of the four criteria (budget, need, timeline; no decision maker): 75 by default.
    func threeCriteriaLead() -> ClientSnapshot {
        fixture.snapshot(
            deals: [
                Deal(
                    id: 1, clientID: "acme", name: "New", stage: .qualification, amount: 5_000,
                    closeDate: now.addingTimeInterval(30 * 86_400), stageEnteredAt: days(2))
            ],
            activities: [Activity(id: 1, clientID: "acme", kind: .email, direction: .inbound, occurredAt: days(1))],
            status: .qualified)
    }

    @Test func meetingLeadScoreDecidesTheMeeting() {
        let s = threeCriteriaLead()
        #expect(LeadScorer().score(s, at: now).score == 75)
        #expect(types(s).contains(.scheduleMeeting))
        #expect(!types(s, rules { $0.suggestions.meetingLeadScore = 80 }).contains(.scheduleMeeting))
    }

    @Test func bantPointsAreConfigured() {
        let s = threeCriteriaLead()
        let configured = rules {
            $0.lead = LeadThresholds(budgetPoints: 10, authorityPoints: 70, needPoints: 10, timelinePoints: 10)
        }
        let score = LeadScorer(rules: configured).score(s, at: now)
        #expect(score.score == 30, "budget, need and timeline met; authority (70) missing")
        #expect(score.explanation == "met: budget, need, timeline; missing: authority")
        #expect(!types(s, configured).contains(.scheduleMeeting))
    }

    @Test func qualifyingScoreDecidesTheAutomaticMove() {
        let fifty = LeadScore(score: 50, budget: true, authority: true, need: false, timeline: false, explanation: "")
        #expect(LeadLifecycle.afterScoring(clientID: "a", status: .contacted, score: fifty, at: now)?.to == .qualified)
        let stricter = rules { $0.lead.qualifyingScore = 60 }
        #expect(
            LeadLifecycle.afterScoring(clientID: "a", status: .contacted, score: fifty, at: now, rules: stricter) == nil
        )
        for qualifying in stride(from: 0, through: 100, by: 10) {
            let configured = rules { $0.lead.qualifyingScore = qualifying }
            for points in stride(from: 0, through: 100, by: 5) {
                let score = LeadScore(
                    score: points, budget: true, authority: false, need: false, timeline: false, explanation: "")
                let move = LeadLifecycle.afterScoring(
                    clientID: "a", status: .new, score: score, at: now, rules: configured)
                #expect((move?.to == .qualified) == (points >= qualifying), "score \(points), qualifying \(qualifying)")
            }
        }
    }

    @Test func healthWeightsAreConfigured() {
        let s = fixture.snapshot(
            lastContactDaysAgo: 20, tasks: [ClientTask(id: 1, clientID: "acme", title: "x", due: days(3))])
        let factors = HealthScorer().score(s, at: now).factors.map(\.score)
        for weights in [
            [100, 0, 0, 0], [0, 100, 0, 0], [0, 0, 100, 0], [0, 0, 0, 100], [40, 10, 10, 40], [29, 23, 31, 17],
        ] {
            let configured = rules {
                $0.health.productUsageWeight = weights[0]
                $0.health.supportWeight = weights[1]
                $0.health.relationshipDepthWeight = weights[2]
                $0.health.businessOutcomesWeight = weights[3]
            }
            let health = HealthScorer(rules: configured).score(s, at: now)
            let expected = zip(weights, factors).reduce(0.0) { $0 + Double($1.0 * $1.1) / 100 }
            // Within rounding: the scorer sums shares (0.29 × 57 ...), which may land either side of a .5.
            #expect(
                abs(Double(health.score) - expected) <= 0.5 + 1e-9, "weights \(weights): \(health.score) vs \(expected)"
            )
            #expect(health.factors.map { Int(($0.weight * 100).rounded()) } == weights)
            #expect(health.factors.map(\.score) == factors, "weights change the total, not the factors")
        }
    }

    @Test func healthBandsAreConfigured() {
        let score = HealthScorer().score(fixture.snapshot(), at: now)
        #expect(score.band == HealthBand(score: score.score))
        let raised = rules {
            $0.health = HealthThresholds(excellentBand: 99, goodBand: 98, atRiskBand: score.score + 1)
        }
        #expect(HealthScorer(rules: raised).score(fixture.snapshot(), at: now).band == .critical)
        let lowered = rules { $0.health = HealthThresholds(excellentBand: score.score, goodBand: 2, atRiskBand: 1) }
        #expect(HealthScorer(rules: lowered).score(fixture.snapshot(), at: now).band == .excellent)
        for bands in [(80, 60, 40), (90, 70, 50), (85, 65, 45), (3, 2, 1), (100, 99, 98), (70, 40, 10)] {
            let thresholds = HealthThresholds(excellentBand: bands.0, goodBand: bands.1, atRiskBand: bands.2)
            for value in 0...100 {
                let expected: HealthBand =
                    value >= bands.0 ? .excellent : value >= bands.1 ? .good : value >= bands.2 ? .atRisk : .critical
                #expect(HealthBand(score: value, thresholds: thresholds) == expected, "\(value) in \(bands)")
            }
        }
    }

    @Test func expiryDaysSetWhenASuggestionLapses() throws {
        let s = fixture.snapshot(lastContactDaysAgo: 10)
        for expiry in [1, 7, 14, 90] {
            let followUp = try #require(suggestions(s, rules { $0.suggestions.expiryDays = expiry }).first)
            #expect(followUp.expiresAt == now.addingTimeInterval(Double(expiry) * 86_400))
        }
    }
}
