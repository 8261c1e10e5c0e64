import Hummingbird
import KAMCore
import KAMRuntime

extension KAMAPI {
    /// Drafts: list, generate, approve, reject.
    func addDraftRoutes(_ routes: RouteTable) {
        routes.get("/drafts") { request, _ in
            var status: DraftStatus?
            if let text = request.uri.queryParameters["status"] {
                guard let value = DraftStatus(rawValue: String(text)) else {
                    throw APIError(
                        .badRequest, code: "request.status",
                        message: "unknown status '\(text)'; use one of "
                            + DraftStatus.allCases.map(\.rawValue).joined(separator: ", "))
                }
                status = value
            }
            let clientID = request.uri.queryParameters["client"].map(String.init)
            return try JSONResponse.make(try runtime.drafts.list(clientID: clientID, status: status))
        }
        routes.post("/drafts") { request, context in
            let body = try await request.decode(as: NewDraftRequest.self, context: context)
            let kindText = body.kind ?? DraftKind.followUp.rawValue
            guard let kind = DraftKind(rawValue: kindText) else {
                throw APIError(
                    .badRequest, code: "request.kind",
                    message: "unknown draft kind '\(kindText)'; use one of "
                        + DraftKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let client = try runtime.client(body.client)
            let draft = try await runtime.drafts.generate(
                client: client, kind: kind, hint: body.hint, as: ActingUser(context.userID))
            return try JSONResponse.make(draft, status: .created)
        }
        routes.post("/drafts/:id/approve") { _, context in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(try runtime.drafts.approve(id, as: ActingUser(context.userID)))
        }
        routes.post("/drafts/:id/reject") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.decode(as: RejectRequest.self, context: context)
            return try JSONResponse.make(
                try runtime.drafts.reject(id, reason: body.reason, as: ActingUser(context.userID)))
        }
    }
}

/// Body of `POST /drafts`.
struct NewDraftRequest: Decodable, Sendable {
    var client: String
    var kind: String?
    var hint: String?
}

/// Body of `POST /drafts/:id/reject`.
struct RejectRequest: Decodable, Sendable {
    var reason: String
}
