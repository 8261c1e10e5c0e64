import Foundation
import KAMCore

extension SuggestionRules {
    /// What the rules propose for `s` with its health and lead scored under the same thresholds, as a
    /// suggestion pass does; the suggestions are named s-1, s-2, ...
    static func scoring(_ s: ClientSnapshot, rules: RuleThresholds = RuleThresholds(), at now: Date) -> [Suggestion] {
        var n = 0
        let health = HealthScorer(rules: rules).score(s, at: now)
        let lead = LeadScorer(rules: rules).score(s, at: now)
        return SuggestionRules(rules: rules).evaluate(s, health: health, lead: lead, at: now) {
            n += 1
            return "s-\(n)"
        }
    }
}
