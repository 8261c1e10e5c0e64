import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

extension KAMAPI {
    /// Drafts: generate (optionally streamed as server-sent events), list, show, edit, approve, reject,
    /// regenerate, export as `.eml`, mark sent, bulk approve and reject. Documented in openapi/drafts.yaml.
    func addDraftRoutes(_ routes: RouteTable) {
        routes.get("/drafts") { request, context in
            let filter = DraftFilter(
                clientID: request.query("client"), status: try request.query("status", as: DraftStatus.self),
                kind: try request.query("kind", as: DraftKind.self))
            let page = try runtime.drafts.page(filter, try request.pageRequest(), as: context.user)
            return try JSONResponse.make(
                Page(items: page.items.map(DraftSummary.init), next: page.next), keys: .snakeCase)
        }
        routes.post("/drafts") { request, context in
            let body = try await request.decode(as: NewDraftRequest.self, context: context)
            let kind = try Request.value(body.kind ?? DraftKind.followUp.rawValue, of: DraftKind.self, field: "kind")
            let user = context.user
            let client = try runtime.client(body.client, as: user)
            let drafts = runtime.drafts
            if DraftEventStream.isRequested(request) {
                return try await DraftEventStream.response { onDelta in
                    try await drafts.generate(client: client, kind: kind, hint: body.hint, as: user, onDelta: onDelta)
                }
            }
            let draft = try await drafts.generate(client: client, kind: kind, hint: body.hint, as: user)
            return try JSONResponse.make(draft, status: .created, keys: .snakeCase)
        }
        routes.get("/drafts/:id") { _, context in
            let id = try context.parameters.require("id")
            let drafts = runtime.drafts
            // Scoped to the caller: a draft of a client outside their reach is not found.
            let user = context.user
            let draft = try drafts.draft(id, as: user)
            let detail = DraftDetail(
                draft: draft, context: draft.contextSnapshot, history: try drafts.history(id, as: user),
                feedback: try drafts.feedback(id, as: user).map(FeedbackItem.init))
            return try JSONResponse.make(detail, keys: .snakeCase)
        }
        routes.patch("/drafts/:id") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.decode(as: DraftEditRequest.self, context: context)
            let current = try runtime.drafts.draft(id, as: context.user).final
            let content = DraftContent(
                subject: body.subject ?? current.subject, body: body.body ?? current.body,
                callToAction: body.callToAction ?? current.callToAction)
            return try JSONResponse.make(
                try runtime.drafts.edit(id, to: content, as: context.user), keys: .snakeCase)
        }
        routes.post("/drafts/:id/approve") { _, context in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(
                try runtime.drafts.approve(id, as: context.user), keys: .snakeCase)
        }
        routes.post("/drafts/:id/reject") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.decode(as: ReasonRequest.self, context: context)
            return try JSONResponse.make(
                try runtime.drafts.reject(id, reason: body.reason, as: context.user),
                keys: .snakeCase)
        }
        routes.post("/drafts/:id/regenerate") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.decodeIfPresent(as: RegenerateRequest.self, context: context)
            let draft = try await runtime.drafts.regenerate(id, hint: body?.hint, as: context.user)
            return try JSONResponse.make(draft, status: .created, keys: .snakeCase)
        }
        routes.get("/drafts/:id/eml") { _, context in
            let id = try context.parameters.require("id")
            let message = try runtime.drafts.emlMessage(id, as: context.user)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "message/rfc822",
                    .contentDisposition: "attachment; filename=\"\(id).eml\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: message)))
        }
        routes.post("/drafts/:id/sent") { _, context in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(
                try runtime.drafts.markSent(id, as: context.user), keys: .snakeCase)
        }
        routes.post("/drafts/bulk/approve") { request, context in
            let body = try await request.decode(as: BulkRequest.self, context: context)
            let outcomes = runtime.drafts.approveAll(try body.checkedIDs(), as: context.user)
            return try JSONResponse.make(BulkResponse(outcomes: outcomes), keys: .snakeCase)
        }
        routes.post("/drafts/bulk/reject") { request, context in
            let body = try await request.decode(as: BulkRejectRequest.self, context: context)
            guard let reason = body.reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw APIError(
                    .badRequest, code: "request.reason", message: "bulk reject needs a non-empty `reason` for every draft")
            }
            let ids = try BulkRequest(ids: body.ids).checkedIDs()
            let outcomes = runtime.drafts.rejectAll(ids, reason: reason, as: context.user)
            return try JSONResponse.make(BulkResponse(outcomes: outcomes), keys: .snakeCase)
        }
    }
}

extension Request {
    /// The JSON body as `T`, or nil when the request has none (a body that is optional, like regenerate's).
    func decodeIfPresent<T: Decodable>(as type: T.Type, context: KAMRequestContext) async throws -> T? {
        var request = self
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return nil }
        return try await request.decode(as: type, context: context)
    }
}
