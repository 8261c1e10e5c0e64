import KAMCore

extension EventService {
    /// `draft.created` or `draft.approved` for `draft`.
    func record(_ kind: EventKind, draft: Draft) {
        record(
            kind, clientID: draft.clientID, subjectID: draft.id,
            ["kind": .string(draft.kind.rawValue), "status": .string(draft.status.rawValue)])
    }

    /// `suggestion.created` for each stored suggestion.
    func recordCreated(_ suggestions: [Suggestion]) {
        for suggestion in suggestions {
            record(
                .suggestionCreated, clientID: suggestion.clientID, subjectID: suggestion.id,
                ["type": .string(suggestion.type.rawValue), "priority": .int(Int64(suggestion.priority))])
        }
    }

    /// `health.changed` when the client's band moved since its previous score.
    func recordHealth(_ score: HealthScore, previous: HealthScore?) {
        guard let previous, previous.band != score.band else { return }
        record(
            .healthChanged, clientID: score.clientID, subjectID: score.clientID,
            ["band": .string(score.band.rawValue), "previous_band": .string(previous.band.rawValue),
             "score": .int(Int64(score.score)), "previous_score": .int(Int64(previous.score))])
    }
}
