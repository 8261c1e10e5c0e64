import Foundation

/// One run of the suggestion rules over clients: snapshot, health (kept in history), lead score
/// (with the automatic lead moves), rules, and the new suggestions stored without duplicates; on any store.
public struct SuggestionPass: Sendable {
    /// Where the clients' snapshots are read.
    public let memory: any ClientMemoryReading
    /// Where health scores are kept and lead moves applied.
    public let health: any HealthStoring
    /// Where the pass stores and resolves suggestions.
    public let suggestions: any SuggestionStoring
    /// The thresholds of the rules, health and lead scoring (`rules:` of `kam.yaml`).
    public var rules: RuleThresholds
    /// How far back the rules look at activities (further when `rules.suggestions.positive_within_days` asks).
    public var windowDays: Int

    public init(
        memory: any ClientMemoryReading, health: any HealthStoring, suggestions: any SuggestionStoring,
        rules: RuleThresholds = RuleThresholds(), windowDays: Int = 30
    ) {
        self.memory = memory
        self.health = health
        self.suggestions = suggestions
        self.rules = rules
        self.windowDays = windowDays
    }

    /// What one client's pass found.
    public struct Outcome: Sendable {
        public var clientID: String
        public var health: HealthScore
        public var lead: LeadScore
        public var leadTransitions: [LeadTransition]
        /// New suggestions stored by this pass (duplicates of pending ones are not).
        public var added: [Suggestion]
        /// Everything the rules proposed, stored or not.
        public var proposed: [Suggestion]
        /// Open rule suggestions the rules no longer propose, now resolved (their cause is gone).
        public var resolved: [Suggestion]
    }

    /// Runs the rules for each client id; `makeID` names new suggestions.
    ///
    /// - Parameter cause: what changed, kept as the `resolution` of the suggestions it resolves
    ///   (`task 2 done by maria`); nil says the rules no longer propose them.
    public func run(clientIDs: [String], now: Date, cause: String? = nil, makeID: @escaping () -> String) throws
        -> [Outcome]
    {
        let since = now.addingTimeInterval(-Double(max(windowDays, rules.suggestions.positiveWithinDays)) * 86_400)
        let scorer = HealthScorer(rules: rules)
        let leads = LeadScorer(rules: rules)
        let suggester = SuggestionRules(rules: rules)
        var outcomes: [Outcome] = []
        // Once per pass, not once per client: expiry scans the pending suggestions.
        try suggestions.expirePending(now: now)
        for id in clientIDs {
            guard let snapshot = try memory.snapshot(clientID: id, activitiesSince: since) else { continue }
            let score = scorer.score(snapshot, at: now)
            try health.record(score)
            let lead = leads.score(snapshot, at: now)
            var transitions: [LeadTransition] = []
            var status = snapshot.client.leadStatus
            if snapshot.lastInteractionAt != nil,
                let move = LeadLifecycle.afterActivity(clientID: id, status: status, at: now)
            {
                try health.apply(move)
                transitions.append(move)
                status = move.to
            }
            if let move = LeadLifecycle.afterScoring(clientID: id, status: status, score: lead, at: now, rules: rules) {
                try health.apply(move)
                transitions.append(move)
            }
            let proposed = suggester.evaluate(snapshot, health: score, lead: lead, at: now, makeID: makeID)
            let added = try suggestions.add(proposed, now: now, expiringFirst: false)
            let resolved = try suggestions.resolve(
                clientID: id, keeping: Set(proposed.map(\.dedupKey)),
                reason: cause ?? "the rules no longer propose it (run of \(UTCTimestamp.day(now)))")
            outcomes.append(
                Outcome(
                    clientID: id, health: score, lead: lead, leadTransitions: transitions, added: added,
                    proposed: proposed, resolved: resolved))
        }
        return outcomes
    }
}
