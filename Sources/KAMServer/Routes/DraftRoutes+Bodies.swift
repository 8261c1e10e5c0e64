import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// Body of `POST /drafts`.
struct NewDraftRequest: Decodable, Sendable {
    var client: String
    var kind: String?
    var hint: String?
}

/// Body of `PATCH /drafts/:id`: the fields to change; the others keep their text.
struct DraftEditRequest: Decodable, Sendable {
    var subject: String?
    var body: String?
    var callToAction: String?

    enum CodingKeys: String, CodingKey {
        case subject, body
        case callToAction = "call_to_action"
    }
}

/// Body of a refusal that needs its reason: `POST /drafts/:id/reject` and `POST /suggestions/:id/dismiss`.
struct ReasonRequest: Decodable, Sendable {
    var reason: String
}

/// Body of `POST /drafts/:id/regenerate` (optional): a new hint instead of the original's.
struct RegenerateRequest: Decodable, Sendable {
    var hint: String?
}

/// Body of `POST /drafts/bulk/approve` and `/drafts/bulk/reject`.
struct BulkRequest: Decodable, Sendable {
    /// The most drafts one bulk request may change, so one request stays one short transaction each.
    static let maxIDs = 500

    var ids: [String]

    /// The ids, refused when empty or too many.
    /// - Throws: `APIError` 400 `request.ids`.
    func checkedIDs() throws -> [String] {
        guard !ids.isEmpty, ids.count <= Self.maxIDs else {
            throw APIError(
                .badRequest, code: "request.ids",
                message: "ids must list 1 to \(Self.maxIDs) draft ids, got \(ids.count); split a longer list")
        }
        return ids
    }
}

/// Body of `POST /drafts/bulk/reject`: the ids and the one reason for all of them.
struct BulkRejectRequest: Decodable, Sendable {
    var ids: [String]
    var reason: String?
}

/// What a bulk request did to each draft, in the order asked.
struct BulkResponse: Encodable, Sendable {
    var outcomes: [BulkOutcome]
}

/// A draft in a list: what a reviewer scans, without the prompt and context it was written from.
struct DraftSummary: Encodable, Sendable {
    var id: String
    var clientID: String
    var kind: DraftKind
    var status: DraftStatus
    var subject: String
    var hint: String?
    var promptID: String
    var promptVersion: String
    var provider: String
    var model: String
    var isOffline: Bool
    var createdBy: String?
    var createdAt: Date
    var updatedAt: Date

    init(_ draft: Draft) {
        id = draft.id
        clientID = draft.clientID
        kind = draft.kind
        status = draft.status
        subject = draft.final.subject
        hint = draft.hint
        promptID = draft.promptID
        promptVersion = draft.promptVersion
        provider = draft.provider
        model = draft.model
        isOffline = draft.isOffline
        createdBy = draft.createdBy
        createdAt = draft.createdAt
        updatedAt = draft.updatedAt
    }
}

/// `GET /drafts/:id`: the draft, the context the model saw when writing it, its history and its feedback.
struct DraftDetail: Encodable, Sendable {
    var draft: Draft
    /// The assembled client context (facts, activities, deals) the draft was written from.
    var context: String
    var history: [DraftEvent]
    var feedback: [FeedbackItem]
}
