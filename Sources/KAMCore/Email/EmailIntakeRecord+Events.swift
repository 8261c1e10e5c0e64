extension EmailIntakeRecord {
    /// The events an intake's email row appends once stored as `emailID` (after its activity's, tasks', ticket's and
    /// draft's own): `email.ingested`, and `email.unmatched` for an email no client was found for.
    public func emailEvents(emailID: Int64, activityID: Int64?) -> [DomainEvent] {
        var events: [DomainEvent] = [
            .emailIngested(
                emailID: emailID, clientID: match.clientID, status: status.rawValue, match: match.method.rawValue,
                activityID: activityID, draftID: draft?.id, at: ingestedAt)
        ]
        if status == .unmatched {
            events.append(
                .emailUnmatched(
                    emailID: emailID, match: match.method.rawValue, candidates: match.candidates, at: ingestedAt))
        }
        return events
    }
}
