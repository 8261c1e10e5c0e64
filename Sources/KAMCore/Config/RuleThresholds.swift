/// The thresholds of KAM's rules — suggestions, lead scoring, health — read from the `rules:` section of
/// `kam.yaml`.
///
/// Data, not literals: an account team tunes when KAM speaks up without a new build. Every field defaults
/// to the source documents' value, so no `rules:` section means the behaviour described in them. The
/// configuration loader checks the values (weights add up to 100, bands descend, days are positive).
///
/// For example:
///
///     var rules = RuleThresholds()
///     rules.suggestions.silentDays = 3
///     let suggester = SuggestionRules(rules: rules)
///     let suggestions = suggester.evaluate(snapshot, health: health, lead: lead, at: now) { ids.next() }
public struct RuleThresholds: Sendable, Hashable {
    public var suggestions: SuggestionThresholds
    public var lead: LeadThresholds
    public var health: HealthThresholds
    /// Competitors' names: an inbound message that names one is a competitor mention (`ObjectionDetector`).
    public var competitors: [String]

    public init(
        suggestions: SuggestionThresholds = SuggestionThresholds(),
        lead: LeadThresholds = LeadThresholds(),
        health: HealthThresholds = HealthThresholds(),
        competitors: [String] = []
    ) {
        self.suggestions = suggestions
        self.lead = lead
        self.health = health
        self.competitors = competitors
    }
}
