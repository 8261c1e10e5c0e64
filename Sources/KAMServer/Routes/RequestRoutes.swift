import Hummingbird
import KAMCore
import KAMRuntime
import KAMStore

extension KAMAPI {
    /// Intelligence requests (seed 000's request/submit): submit (answered 202 at once, run in the background),
    /// poll one, list the caller's.
    func addRequestRoutes(_ routes: RouteTable) {
        // Requests a previous server process left queued or running died with it: fail them once, at start.
        _ = try? runtime.requests.failStale()
        routes.post("/requests") { request, context in
            let body = try await request.decode(as: NewIntelligenceRequest.self, context: context)
            let queued = try runtime.requests.submit(
                type: body.type, client: body.client, parameters: body.parameters ?? [:], as: context.user)
            let requests = runtime.requests
            Task { await requests.run(queued.id) }
            var response = try JSONResponse.make(queued, status: .accepted)
            response.headers[.location] = "/requests/\(queued.id)"
            return response
        }
        routes.get("/requests") { request, context in
            try JSONResponse.make(try runtime.requests.list(as: context.user, page: try request.pageRequest()))
        }
        routes.get("/requests/:id") { _, context in
            let id = try context.parameters.require("id")
            return try JSONResponse.make(try runtime.requests.request(id, as: context.user))
        }
    }
}

/// Body of `POST /requests`.
struct NewIntelligenceRequest: Decodable, Sendable {
    /// `needs`, `client-intelligence` or `next-best-actions`.
    var type: String
    /// The client: id, name, external id, contact email or domain.
    var client: String
    var parameters: [String: JSONValue]?
}
