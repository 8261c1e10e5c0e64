import Hummingbird
import KAMCore
import KAMRuntime

extension KAMAPI {
    /// Clients: list, context.
    func addClientRoutes(_ routes: RouteTable) {
        routes.get("/clients") { _, _ in
            try JSONResponse.make(try runtime.clients.list())
        }
        routes.get("/clients/:id/context") { request, context in
            let id = try context.parameters.require("id")
            let client = try runtime.client(id)
            var budget: Int?
            if let text = request.uri.queryParameters["budget"] {
                guard let value = Int(text), value > 0 else {
                    throw APIError(
                        .badRequest, code: "request.budget",
                        message: "budget must be a positive number of tokens, got '\(text)'")
                }
                budget = value
            }
            return try JSONResponse.make(try runtime.context(clientID: client.id, budget: budget))
        }
    }
}
