import Foundation
import KAMCore
import KAMStore

/// The runtime's event log: services record what happened (a draft created or approved, a suggestion
/// created, a client's health band moved, an email nobody could match, a job that failed) right after
/// the write, and the webhook dispatcher delivers each event to the subscriptions that asked for its kind.
///
/// Recording never fails the write it follows: the write has happened, so an event that cannot be
/// stored is logged as a warning instead of undoing or failing the request.
///
/// For example:
/// ```swift
/// runtime.events.record(.draftApproved, clientID: draft.clientID, subjectID: draft.id, ["status": "approved"])
/// ```
public struct EventService: Sendable {
    let runtime: Runtime

    private var repository: EventRepository { EventRepository(store: runtime.store) }

    /// Records `kind` about `subjectID` of `clientID`; `payload` holds ids and states, never text a client wrote.
    public func record(
        _ kind: EventKind, clientID: String?, subjectID: String?, _ payload: [String: JSONValue] = [:]
    ) {
        var body = payload
        if let clientID { body["client_id"] = .string(clientID) }
        if let subjectID { body["id"] = .string(subjectID) }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let text = String(decoding: try encoder.encode(JSONValue.object(body)), as: UTF8.self)
            try repository.append(
                kind: kind.rawValue, clientID: clientID, subjectID: subjectID, payload: text, at: runtime.now())
        } catch {
            runtime.options.logger.warning(
                "event not recorded", metadata: ["event": "\(kind.rawValue)", "subject": "\(subjectID ?? "")", "error": "\(error)"])
        }
    }

    /// Events after `cursor` (an event id), oldest first.
    public func list(after cursor: Int64 = 0, kinds: [EventKind]? = nil, limit: Int = 500) throws -> [StoredEvent] {
        try repository.events(after: cursor, kinds: kinds?.map(\.rawValue), limit: limit)
    }
}
