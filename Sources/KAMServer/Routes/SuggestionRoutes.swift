import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

extension KAMAPI {
    /// Suggestions: list across clients (client, type, minimum priority and status filters, highest priority
    /// first), per client, accept, dismiss with a reason, snooze, undo an accept. Documented in
    /// openapi/suggestions.yaml.
    func addSuggestionRoutes(_ routes: RouteTable) {
        routes.get("/suggestions") { request, context in
            let filter = try suggestionFilter(request, clientID: request.query("client"))
            return try suggestionPage(filter, request, context)
        }
        routes.get("/clients/:id/suggestions") { request, context in
            let id = try context.parameters.require("id")
            let client = try runtime.client(id: id, as: context.user)
            return try suggestionPage(try suggestionFilter(request, clientID: client.id), request, context)
        }
        routes.post("/suggestions/:id/accept") { _, context in
            let id = try context.parameters.require("id")
            let accepted = try await runtime.suggestions.accept(id, as: context.user)
            return try JSONResponse.make(SuggestionAcceptance(accepted), keys: .snakeCase)
        }
        routes.post("/suggestions/:id/dismiss") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.decode(as: DismissRequest.self, context: context)
            guard let note = body.note else {
                return try JSONResponse.make(
                    try runtime.suggestions.dismiss(id, reason: body.reason, as: context.user), keys: .snakeCase)
            }
            guard let kind = DismissReason(text: body.reason) else {
                throw APIError(
                    .badRequest, code: "request.reason",
                    message: "with a note, reason must be one of "
                        + DismissReason.allCases.map(\.rawValue).joined(separator: ", ") + ", got '\(body.reason)'")
            }
            return try JSONResponse.make(
                try runtime.suggestions.dismiss(id, kind: kind, note: note, as: context.user).suggestion,
                keys: .snakeCase)
        }
        routes.post("/suggestions/:id/snooze") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.decode(as: SnoozeRequest.self, context: context)
            guard let until = try Request.date(body.until, field: "until") else {
                throw APIError(.badRequest, code: "request.until", message: "snooze needs `until`: YYYY-MM-DD or an ISO 8601 time")
            }
            return try JSONResponse.make(
                try runtime.suggestions.snooze(id, until: until, as: context.user),
                keys: .snakeCase)
        }
        routes.post("/suggestions/:id/undo-accept") { _, context in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(
                try runtime.suggestions.undoAccept(id, as: context.user), keys: .snakeCase)
        }
    }

    /// The list filters of `?type=`, `?min_priority=` (0 to 100) and `?status=`.
    private func suggestionFilter(_ request: Request, clientID: String?) throws -> SuggestionFilter {
        let minimumPriority = try request.number("min_priority", in: 0...100, expecting: "a whole number from 0 to 100")
        return SuggestionFilter(
            clientID: clientID, type: try request.query("type", as: SuggestionType.self), minimumPriority: minimumPriority,
            status: try request.query("status", as: SuggestionStatus.self))
    }

    private func suggestionPage(_ filter: SuggestionFilter, _ request: Request, _ context: KAMRequestContext) throws
        -> Response
    {
        let page = try runtime.suggestions.page(filter, try request.pageRequest(), as: context.user)
        return try JSONResponse.make(page, keys: .snakeCase)
    }
}

/// Body of `POST /suggestions/:id/dismiss`: a kind (`already-done`) or free words, and an optional note.
struct DismissRequest: Decodable, Sendable {
    var reason: String
    var note: String?
}

/// Body of `POST /suggestions/:id/snooze`: `until`, a day (`2026-03-01`) or an ISO 8601 time.
struct SnoozeRequest: Decodable, Sendable {
    var until: String?
}

/// What accepting a suggestion made: the suggestion as accepted, `task:<id>` or `draft:<id>`, and the draft
/// written when the action was one.
struct SuggestionAcceptance: Encodable, Sendable {
    var suggestion: Suggestion
    var artifact: String
    var draft: Draft?

    init(_ accepted: SuggestionService.Accepted) {
        suggestion = accepted.suggestion
        artifact = accepted.artifact
        draft = accepted.draft
    }
}
