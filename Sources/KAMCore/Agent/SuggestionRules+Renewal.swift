import Foundation

extension SuggestionRules {
    /// Seed 002's "renewal risks": the contract renews within `renewalWithinDays` and something says it
    /// may not (health below `interventionBelowHealth`, no contact for `silentDays`, or the client marked at
    /// risk). A healthy client in regular contact gets no warning; a renewal date already past gets
    /// none either (the person updates it with `kam clients update CLIENT --renewal-date`).
    func renewalRisk(
        _ s: ClientSnapshot, health: HealthScore, at now: Date, makeID: () -> String, expires: Date
    ) -> Suggestion? {
        let thresholds = rules.suggestions
        let client = s.client
        guard let renewal = client.renewalDate, renewal >= now else { return nil }
        let daysLeft = Int(renewal.timeIntervalSince(now) / 86_400)
        guard daysLeft <= thresholds.renewalWithinDays else { return nil }
        var signs: [Evidence] = []
        if health.score < thresholds.interventionBelowHealth {
            signs.append(
                Evidence(
                    kind: "health", id: client.id,
                    summary: "health \(health.score) (\(health.band.rawValue)), below \(thresholds.interventionBelowHealth)"))
        }
        let silentDays = s.lastInteractionAt.map { Int(now.timeIntervalSince($0) / 86_400) }
        if silentDays.map({ $0 >= thresholds.silentDays }) ?? true {
            signs.append(
                Evidence(
                    kind: "client", id: client.id,
                    summary: silentDays.map { "no contact for \($0) days" } ?? "no interaction on record"))
        }
        if client.lifecycle == .atRisk {
            signs.append(Evidence(kind: "client", id: client.id, summary: "marked at risk"))
        }
        guard !signs.isEmpty else { return nil }
        let day = Self.day(renewal)
        let evidence = [Evidence(kind: "client", id: client.id, summary: "renews on \(day), in \(daysLeft) days")] + signs
        return Suggestion(
            id: makeID(), clientID: client.id, type: .renewalRisk, target: "client:\(client.id)",
            title: "Renewal at risk: \(client.name) renews in \(daysLeft) days",
            reasoning: "\(client.name) renews on \(day) (in \(daysLeft) days, within \(thresholds.renewalWithinDays)) and "
                + signs.map(\.summary).joined(separator: "; ") + ".",
            evidence: evidence,
            priority: 70 + min(20, (thresholds.renewalWithinDays - daysLeft) / 3) + signs.count * 2,
            action: .task(title: "Secure the renewal of \(client.name) before \(day)", dueInDays: 3, priority: .high),
            createdAt: now, expiresAt: expires)
    }
}
