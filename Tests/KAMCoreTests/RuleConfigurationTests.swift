import Foundation
import KAMCore
import Testing

/// The `rules:` section of `kam.yaml`: every field read, every bad value refused at its file:line with
/// its field path, weights that do not add up to 100 and bands that do not descend refused.
@Suite struct RuleConfigurationTests {
    func issues(_ yaml: String) -> [ConfigurationIssue] {
        do {
            _ = try KAMConfiguration.parse(yaml, file: "kam.yaml")
            return []
        } catch {
            #expect(error.code == .invalid, "\(error)")
            return error.issues
        }
    }

    /// `version: 1`, then `rules:` with `path` nested under it and `value` at the end: the value is on
    /// line `path.count + 2`.
    func document(_ path: [String], _ value: String) -> String {
        var lines = ["version: 1", "rules:"]
        for (depth, key) in path.enumerated() {
            let indent = String(repeating: "  ", count: depth + 1)
            lines.append(indent + key + ":" + (depth == path.count - 1 ? " " + value : ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func everyFieldIsRead() throws {
        let yaml = """
            version: 1
            rules:
              suggestions:
                silent_days: 3
                stuck_deal_days: 10
                overdue_days: 2
                positive_sentiment: 0.4
                positive_within_days: 21
                order_growth_percent: 20
                order_growth_window_days: 45
                intervention_below_health: 55
                meeting_lead_score: 80
                large_deal_amount: 25000
                expiry_days: 10
              lead:
                weights: {budget: 40, authority: 30, need: 20, timeline: 10}
                qualifying_score: 60
              health:
                weights:
                  product_usage: 40
                  support: 10
                  relationship_depth: 25
                  business_outcomes: 25
                bands: {excellent: 85, good: 65, at_risk: 45}
            """
        let rules = try KAMConfiguration.parse(yaml, file: "kam.yaml").rules
        let s = rules.suggestions
        #expect(s.silentDays == 3)
        #expect(s.stuckDealDays == 10)
        #expect(s.overdueDays == 2)
        #expect(s.positiveSentiment == 0.4)
        #expect(s.positiveWithinDays == 21)
        #expect(s.orderGrowth == 0.2, "a percentage in the file, a fraction in the type")
        #expect(s.orderGrowthWindowDays == 45)
        #expect(s.interventionBelowHealth == 55)
        #expect(s.meetingLeadScore == 80)
        #expect(s.largeDealAmount == 25_000)
        #expect(s.expiryDays == 10)
        #expect(
            rules.lead
                == LeadThresholds(
                    budgetPoints: 40, authorityPoints: 30, needPoints: 20, timelinePoints: 10, qualifyingScore: 60))
        #expect(
            rules.health
                == HealthThresholds(
                    productUsageWeight: 40, supportWeight: 10, relationshipDepthWeight: 25, businessOutcomesWeight: 25,
                    excellentBand: 85, goodBand: 65, atRiskBand: 45))
    }

    @Test func aFieldLeftOutKeepsItsDefault() throws {
        let rules = try KAMConfiguration.parse(document(["suggestions", "silent_days"], "3"), file: "kam.yaml").rules
        var expected = RuleThresholds()
        expected.suggestions.silentDays = 3
        #expect(rules == expected)
    }

    @Test func badValuesAreRefusedAtTheirLine() {
        let days = ["0", "-3", "3651", "seven", "7.5", "~", "[7]", "{a: 1}", "''"]
        let scores = ["-1", "101", "sixty", "60.5", "~", "[60]"]
        let cases: [(path: [String], bad: [String])] = [
            (["suggestions", "silent_days"], days),
            (["suggestions", "stuck_deal_days"], days),
            (["suggestions", "positive_within_days"], days),
            (["suggestions", "order_growth_window_days"], days),
            (["suggestions", "expiry_days"], days),
            (["suggestions", "overdue_days"], ["-1", "3651", "one", "0.5", "~"]),
            (["suggestions", "positive_sentiment"], ["-1.5", "1.01", "2", "happy", "~", ".nan", ".inf"]),
            (["suggestions", "order_growth_percent"], ["-5", "100001", "twenty", "20%", "~", ".inf"]),
            (["suggestions", "large_deal_amount"], ["-1", "1e13", "lots", "~"]),
            (["suggestions", "intervention_below_health"], scores),
            (["suggestions", "meeting_lead_score"], scores),
            (["lead", "qualifying_score"], scores),
            (["lead", "weights", "budget"], scores),
            (["lead", "weights", "authority"], scores),
            (["lead", "weights", "need"], scores),
            (["lead", "weights", "timeline"], scores),
            (["health", "weights", "product_usage"], scores),
            (["health", "weights", "support"], scores),
            (["health", "weights", "relationship_depth"], scores),
            (["health", "weights", "business_outcomes"], scores),
            (["health", "bands", "excellent"], ["0", "101", "high", "~"]),
            (["health", "bands", "good"], ["0", "101", "fine", "~"]),
            (["health", "bands", "at_risk"], ["0", "-40", "101", "low", "~"]),
        ]
        var checked = 0
        for (path, bad) in cases {
            for value in bad {
                let found = issues(document(path, value))
                let field = "rules." + path.joined(separator: ".")
                #expect(found.count == 1, "\(field): \(value) gave \(found)")
                guard let issue = found.first else { continue }
                #expect(issue.file == "kam.yaml")
                #expect(issue.line == path.count + 2, "\(issue)")
                #expect(issue.column != nil, "\(issue)")
                #expect(issue.field == field, "\(issue)")
                #expect(issue.description.hasPrefix("kam.yaml:\(path.count + 2):"), "\(issue)")
                checked += 1
            }
        }
        #expect(checked == cases.reduce(0) { $0 + $1.bad.count })
    }

    @Test func weightsMustAddUpToOneHundred() {
        var refused = 0
        var accepted = 0
        for budget in stride(from: 0, through: 100, by: 20) {
            for authority in stride(from: 0, through: 100 - budget, by: 20) {
                for need in stride(from: 0, through: 100 - budget - authority, by: 20) {
                    for offset in [-7, 0, 3] {
                        let timeline = 100 - budget - authority - need + offset
                        guard (0...100).contains(timeline) else { continue }
                        let yaml = """
                            rules:
                              lead:
                                weights: {budget: \(budget), authority: \(authority), need: \(need), timeline: \(timeline)}
                            """
                        let found = issues(yaml)
                        if offset == 0 {
                            #expect(found.isEmpty, "\(found)")
                            let lead = try? KAMConfiguration.parse(yaml, file: "kam.yaml").rules.lead
                            #expect(lead?.timelinePoints == timeline)
                            accepted += 1
                        } else {
                            #expect(found.count == 1, "\(found)")
                            #expect(found.first?.line == 3)
                            #expect(found.first?.field == "rules.lead.weights")
                            #expect(
                                found.first?.message.contains("these add up to \(100 + offset)") == true, "\(found)")
                            refused += 1
                        }
                    }
                }
            }
        }
        #expect(accepted > 20 && refused > 20)
        // A weight left out keeps its default, and counts toward the sum.
        let partial = issues("rules:\n  health:\n    weights:\n      product_usage: 40\n")
        #expect(partial.count == 1)
        #expect(partial.first?.line == 4, "the weights mapping starts on the line of its first entry")
        #expect(partial.first?.field == "rules.health.weights")
        #expect(
            partial.first?.message.contains("these add up to 110: product_usage 40, support 20") == true, "\(partial)")
        // One bad weight is reported once, without a second issue about the sum.
        #expect(issues("rules:\n  health:\n    weights: {support: -20}\n").count == 1)
    }

    @Test func bandsMustDescend() {
        let values = [1, 30, 40, 60, 80, 100]
        var refused = 0
        for excellent in values {
            for good in values {
                for atRisk in values {
                    let found = issues(
                        "rules:\n  health:\n    bands: {excellent: \(excellent), good: \(good), at_risk: \(atRisk)}\n")
                    if excellent > good && good > atRisk {
                        #expect(found.isEmpty, "\(found)")
                    } else {
                        #expect(found.count == 1, "\(excellent) \(good) \(atRisk): \(found)")
                        #expect(found.first?.line == 3)
                        #expect(found.first?.field == "rules.health.bands")
                        #expect(found.first?.message.contains("must descend") == true)
                        refused += 1
                    }
                }
            }
        }
        #expect(refused == 216 - 20)
        // One band moved alone is checked against the defaults of the others.
        #expect(
            issues("rules:\n  health:\n    bands: {good: 85}\n").first?.message.contains("excellent 80, good 85")
                == true)
    }

    @Test func unknownFieldsAreRefusedWithASuggestion() {
        let cases: [(yaml: String, line: Int, field: String, hint: String)] = [
            ("rules:\n  sugestions: {}\n", 2, "rules.sugestions", "did you mean 'suggestions'?"),
            (
                "rules:\n  suggestions:\n    silent_dayz: 3\n", 3, "rules.suggestions.silent_dayz",
                "did you mean 'silent_days'?"
            ),
            (
                "rules:\n  lead:\n    qualifying: 50\n", 3, "rules.lead.qualifying",
                "known fields: qualifying_score, weights"
            ),
            (
                "rules:\n  lead:\n    weights: {budgets: 25}\n", 3, "rules.lead.weights.budgets",
                "did you mean 'budget'?"
            ),
            (
                "rules:\n  health:\n    weights: {usage: 30}\n", 3, "rules.health.weights.usage",
                "known fields: business_outcomes"
            ),
            ("rules:\n  health:\n    bands: {atrisk: 40}\n", 3, "rules.health.bands.atrisk", "did you mean 'at_risk'?"),
            ("rules:\n  health:\n    band: {}\n", 3, "rules.health.band", "did you mean 'bands'?"),
        ]
        for (yaml, line, field, hint) in cases {
            let found = issues(yaml)
            #expect(found.count == 1, "\(yaml): \(found)")
            #expect(found.first?.line == line, "\(found)")
            #expect(found.first?.field == field, "\(found)")
            #expect(found.first?.message.contains("unknown field") == true, "\(found)")
            #expect(found.first?.message.contains(hint) == true, "\(found)")
        }
        for notAMapping in [
            "rules: 7", "rules: [silent_days]", "rules:\n  suggestions: 7", "rules:\n  lead:\n    weights: 25",
        ] {
            let found = issues(notAMapping + "\n")
            #expect(found.count == 1 && found.first?.message.contains("expected a mapping") == true, "\(found)")
        }
    }

    @Test func everyProblemIsReportedNotOnlyTheFirst() {
        let yaml = """
            version: 1
            rules:
              suggestions:
                silent_days: 0
                stuck_deal_days: soon
              lead:
                weights: {budget: 50, authority: 50, need: 50, timeline: 50}
                qualifying_score: 120
              health:
                bands: {excellent: 40, good: 60, at_risk: 80}
                weight: {}
            """
        // In file order (an unknown field is reported when its mapping is opened, before its siblings are read).
        let found = issues(yaml).sorted { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) }
        #expect(found.map(\.line) == [4, 5, 7, 8, 10, 11], "\(found)")
        #expect(
            found.map(\.field) == [
                "rules.suggestions.silent_days", "rules.suggestions.stuck_deal_days", "rules.lead.weights",
                "rules.lead.qualifying_score", "rules.health.bands", "rules.health.weight",
            ])
    }
}
