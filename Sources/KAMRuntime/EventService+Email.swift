import KAMCore

extension EventService {
    /// The events of one ingested email: `email.unmatched` when no client was found, `draft.created` for
    /// its acknowledgment draft.
    func recordIntake(_ result: EmailIngestResult) {
        if result.status == EmailIntakeStatus.unmatched.rawValue {
            record(
                .emailUnmatched, clientID: nil, subjectID: result.id.map(String.init),
                ["message_id": .string(result.messageID), "match": .string(result.match),
                 "candidates": .array(result.candidates.map(JSONValue.string))])
        }
        if let draftID = result.draftID {
            record(.draftCreated, clientID: result.client, subjectID: draftID, ["kind": "acknowledgment", "source": "email"])
        }
    }
}
