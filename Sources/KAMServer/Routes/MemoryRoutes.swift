import Foundation
import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

extension KAMAPI {
    /// Memory (remember, forget, list a client's) and the acting user's daily plan (ranked now, or today's stored one
    /// and its items marked done). Documented in
    /// openapi/memory.yaml.
    func addMemoryRoutes(_ routes: RouteTable) {
        routes.get("/clients/:id/memory") { request, context in
            let id = try context.parameters.require("id")
            let items = try runtime.memory.list(clientID: id, as: context.user)
            return try JSONResponse.make(try request.pageRequest().page(of: items), keys: .snakeCase)
        }
        routes.post("/clients/:id/memory") { request, context in
            let (client, user) = try pathClient(context)
            let body = try await request.decode(as: MemoryBody.self, context: context)
            guard let text = body.text else {
                throw APIError(.badRequest, code: "request.text", message: "give the text to remember in `text`")
            }
            let remembered = try runtime.memory.remember(
                clientID: client.id, text: text, key: body.key,
                kind: try Request.value(body.kind, of: MemoryKind.self, field: "kind") ?? .fact, as: user)
            return try JSONResponse.make(
                remembered, status: remembered.created ? .created : .ok, keys: .snakeCase)
        }
        routes.delete("/clients/:id/memory/:key") { _, context in
            let id = try context.parameters.require("id")
            let key = try context.parameters.require("key")
            let user = context.user
            let client = try runtime.clients.client(id, as: user)
            return try JSONResponse.make(
                try runtime.memory.forget(clientID: client.id, key: key, as: user), keys: .snakeCase)
        }
        routes.get("/plan") { request, context in
            let limit = try request.number("limit", in: 1...200, expecting: "a whole number from 1 to 200") ?? 20
            let narrative = try request.flagQuery("narrative") ?? false
            let day = try request.dateQuery("day")
            let plan = try await runtime.plans.plan(day: day, limit: limit, narrative: narrative, as: context.user)
            return try JSONResponse.make(plan, keys: .snakeCase)
        }
        routes.get("/plan/today") { _, context in
            try JSONResponse.make(try await runtime.plans.today(as: context.user), keys: .snakeCase)
        }
        routes.post("/plan/items/:id/done") { _, context in
            let id = try Self.recordID(context, "plan item", code: "plan.item-not-found")
            let done = try runtime.plans.markDone(itemID: id, as: context.user)
            return try JSONResponse.make(PlanItemDone(item: done.item, marked: done.marked), keys: .snakeCase)
        }
        routes.delete("/plan/items/:id/done") { _, context in
            let id = try Self.recordID(context, "plan item", code: "plan.item-not-found")
            let undone = try runtime.plans.reopen(itemID: id, as: context.user)
            return try JSONResponse.make(PlanItemDone(item: undone.item, marked: undone.changed), keys: .snakeCase)
        }
    }
}

/// Answer of `POST /plan/items/:id/done` and `DELETE` of it: the item, and whether this call changed it (false: it
/// was done already, or not done).
struct PlanItemDone: Encodable, Sendable {
    var item: StoredPlanItem
    var marked: Bool
}

/// Body of `POST /clients/:id/memory`.
struct MemoryBody: Decodable, Sendable {
    var text: String?
    /// The key to remember it under (made from the text when absent); the same key replaces the value.
    var key: String?
    /// fact (default) or preference.
    var kind: String?
}
