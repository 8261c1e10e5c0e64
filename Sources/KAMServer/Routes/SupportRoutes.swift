import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

extension KAMAPI {
    /// Support tickets: list and show (scoped to the clients the caller may see), analyse one, write its reply draft,
    /// and a client's support insights. Imports stay on the command line (`kam tickets import`). Documented in
    /// openapi/support.yaml.
    func addSupportRoutes(_ routes: RouteTable) {
        routes.get("/tickets") { request, context in
            let open = try request.flagQuery("open") ?? false
            let clientID = try request.query("client").map { try runtime.client(id: $0, as: context.user).id }
            let tickets = try runtime.support.list(
                .init(clientID: clientID, status: try request.query("status", as: TicketStatus.self), openOnly: open),
                limit: 1_000, as: context.user)
            return try JSONResponse.make(try request.pageRequest().page(of: tickets), keys: .snakeCase)
        }
        routes.get("/tickets/:id") { _, context in
            let id = try Self.recordID(context, "ticket")
            return try JSONResponse.make(try runtime.support.ticket(id, as: context.user), keys: .snakeCase)
        }
        routes.post("/tickets/:id/analyse") { _, context in
            let id = try Self.recordID(context, "ticket")
            let result = try await runtime.support.analyse([id], as: context.user)
            return try JSONResponse.make(result.first, keys: .snakeCase)
        }
        routes.post("/tickets/:id/reply") { request, context in
            let id = try Self.recordID(context, "ticket")
            // The same optional body as a draft's regeneration: `{"hint": ...}`.
            let hint = try await request.decodeIfPresent(as: RegenerateRequest.self, context: context)?.hint
            let support = runtime.support
            let user = context.user
            if DraftEventStream.isRequested(request) {
                _ = try support.ticket(id, as: user)  // a ticket outside the scope is 404 before the stream opens
                return try await DraftEventStream.response { onDelta in
                    try await support.reply(to: id, hint: hint, as: user, onDelta: onDelta)
                }
            }
            let draft = try await support.reply(to: id, hint: hint, as: user)
            return try JSONResponse.make(draft, status: .created, keys: .snakeCase)
        }
        routes.get("/clients/:id/support") { _, context in
            let (client, user) = try pathClient(context)
            return try JSONResponse.make(try runtime.support.insights(clientID: client.id, as: user), keys: .snakeCase)
        }
    }
}
