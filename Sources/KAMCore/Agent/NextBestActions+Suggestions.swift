import Foundation

extension NextBestActions {
    /// The model's proposals as pending suggestions (source `model`), each turned into the pending
    /// artifact its type calls for: a draft for outreach, a task for escalations and interventions.
    public func suggestions(clientID: String, now: Date, expiryDays: Int = 14, makeID: () -> String) -> [Suggestion] {
        actions.map { action in
            let proposed: ProposedAction
            switch action.type {
            case .followUp: proposed = .draft(kind: .followUp, hint: action.proposedAction)
            case .statusCheck: proposed = .draft(kind: .dealUpdate, hint: action.proposedAction)
            case .upsell, .scheduleMeeting, .nextBestAction: proposed = .draft(kind: .checkIn, hint: action.proposedAction)
            case .escalate, .renewalRisk: proposed = .task(title: action.proposedAction, dueInDays: 1, priority: .high)
            case .intervention: proposed = .task(title: action.proposedAction, dueInDays: 2, priority: .urgent)
            case .objection, .competitorMention: proposed = .draft(kind: .followUp, hint: action.proposedAction)
            }
            return Suggestion(
                id: makeID(), clientID: clientID, type: action.type, target: "client:\(clientID)", title: action.title,
                reasoning: action.reasoning,
                evidence: action.evidence.map { Evidence(kind: "model", id: clientID, summary: $0) },
                priority: action.priority, action: proposed, source: .model, createdAt: now,
                expiresAt: now.addingTimeInterval(Double(expiryDays) * 86_400))
        }
    }
}
